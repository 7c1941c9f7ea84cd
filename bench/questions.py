"""Plain-words questions reps type, with the sample-library assets that answer them.

Written the way a prospect put it on a call, not in the titles' words. Answers are the
sample sources' file names (``assets/sample/<name>.md``); any one of them in the top 3 is
a success.
"""

from __future__ import annotations

QUESTIONS: list[tuple[str, tuple[str, ...]]] = [
    (
        "hospital worried about outages",
        ("meridian-health-case-study", "healthcare-compliance-white-paper"),
    ),
    (
        "bank that needs faster trades",
        ("granite-mutual-case-study", "financial-services-deck", "blog-interconnect-latency"),
    ),
    (
        "customer says the cloud is cheaper",
        (
            "positioning-vs-public-cloud",
            "blog-colo-vs-cloud",
            "colocation-tco-white-paper",
            "objection-handling-guide",
        ),
    ),
    (
        "our server closet keeps overheating",
        ("blog-hidden-server-room-costs", "colocation-sales-deck", "blog-high-density-cooling"),
    ),
    ("they want to run GPUs for AI training", ("blog-high-density-cooling",)),
    (
        "retailer whose tills stop when the network drops",
        ("copperleaf-retail-case-study", "edge-compute-deck", "edge-compute-data-sheet"),
    ),
    (
        "what happens if ransomware hits them",
        ("webinar-disaster-recovery", "managed-backup-data-sheet"),
    ),
    (
        "CFO wants to see the numbers over five years",
        ("colocation-tco-white-paper", "colocation-business-case-template"),
    ),
    ("my champion has to convince the leadership team", ("colocation-business-case-template",)),
    ("city government buyer asking how they can purchase", ("public-sector-procurement-guide",)),
    ("their lawyers have questions about the contract", ("msa-plain-language-summary",)),
    ("prospect wants to see the building before signing", ("video-newark-facility-tour",)),
    (
        "animation studio says rendering takes forever",
        ("video-foxglove-customer-story", "blog-high-density-cooling"),
    ),
    ("what do I send after the first call", ("follow-up-email-templates",)),
    (
        "new customer just signed, what happens now",
        ("customer-onboarding-guide", "onboarding-kickoff-deck", "customer-welcome-kit"),
    ),
    ("someone needs to swap a failed drive at 2am", ("remote-hands-service-guide",)),
    (
        "they are nervous about auditors and certifications",
        ("security-compliance-data-sheet", "healthcare-compliance-white-paper"),
    ),
    ("the board wants to cut carbon emissions", ("sustainable-colocation-white-paper",)),
    ("moving all their servers without any downtime", ("migration-playbook-white-paper",)),
    (
        "some apps in the cloud and some on their own hardware",
        ("hybrid-infrastructure-white-paper", "blog-colo-vs-cloud"),
    ),
    ("procurement sent us a huge questionnaire", ("rfp-response-library",)),
    ("existing customer is running out of space", ("expansion-options-deck",)),
    (
        "short intro to who we are for a first meeting",
        ("corporate-overview-deck", "elevator-pitches"),
    ),
    ("what do we owe them if the site goes down", ("uptime-sla-one-pager",)),
    (
        "clinic storing patient records",
        ("healthcare-compliance-white-paper", "meridian-health-case-study"),
    ),
    ("credit union worried about the regulators", ("financial-services-deck",)),
    (
        "they do not want to manage their own servers anymore",
        ("private-cloud-deck", "colocation-sales-deck"),
    ),
    (
        "factory needs computing right next to the machines",
        ("edge-compute-deck", "edge-compute-data-sheet"),
    ),
    (
        "how quickly can we link them to AWS",
        ("interconnect-data-sheet", "hybrid-infrastructure-white-paper"),
    ),
    ("quarterly check-in with an account", ("quarterly-business-review-template",)),
    (
        "prospect insists their server room costs nothing",
        ("objection-handling-guide", "blog-hidden-server-room-costs"),
    ),
    ("is there a deal if they sign before January", ("year-end-promotion-2026",)),
    (
        "backups that hackers cannot delete",
        ("managed-backup-data-sheet", "webinar-disaster-recovery"),
    ),
    ("what do I say in thirty seconds at a trade show", ("elevator-pitches",)),
    ("how much power can one rack draw", ("colocation-data-sheet", "blog-high-density-cooling")),
    (
        "payment company where every millisecond counts",
        ("blog-interconnect-latency", "granite-mutual-case-study", "financial-services-deck"),
    ),
    ("IT manager has basic questions about renting space", ("colocation-faq",)),
    (
        "should they keep their own data center or go to the cloud",
        ("blog-colo-vs-cloud", "positioning-vs-public-cloud", "hybrid-infrastructure-white-paper"),
    ),
    ("second meeting pitch for leaving their server room", ("colocation-sales-deck",)),
    (
        "their building lost power during the storm",
        ("uptime-sla-one-pager", "meridian-health-case-study", "blog-hidden-server-room-costs"),
    ),
    ("how long until a technician shows up", ("remote-hands-service-guide",)),
    ("stores losing sales whenever systems go down", ("copperleaf-retail-case-study",)),
    ("they never tested whether they can recover", ("webinar-disaster-recovery",)),
    ("health system looking to save money on IT", ("meridian-health-case-study",)),
    (
        "visitors need badges and an access list",
        ("customer-welcome-kit", "customer-onboarding-guide"),
    ),
]
