"""The command line, one module per command group.

Each group module has ``add_commands(sub, common)``, which adds its sub-commands to the
parser; a command's ``func(lib, args)`` returns the exit code. ``main.py`` lists the groups.
"""
