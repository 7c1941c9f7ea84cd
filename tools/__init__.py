"""Tools for the people who build and document Pitchpack; not part of the app."""
