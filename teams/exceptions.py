class OutsideTeam(Exception):
    """The family belongs to another team: reading it needs a stated reason first.

    Raised by the staff selectors; `teams.middleware` answers it with the page that asks for
    the reason (403), so no view has to handle it.
    """

    def __init__(self, *, family_id, team_name: str = ""):
        super().__init__(f"family {family_id} belongs to team {team_name!r}")
        self.family_id = family_id
        self.team_name = team_name
