"""What the teams app holds for the privacy registry (privacy/registry.py): openings of another
team's family and each family's stored team are family data in the admin. Discovered by
PrivacyConfig.ready. Nothing for the download or erasure: both rows go with the family.
"""

from privacy.registry import family_data

family_data("teams.outofteamaccess", family="family_id")
family_data("teams.familyteam", family="family_id")
