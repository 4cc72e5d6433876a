from teams.exceptions import OutsideTeam
from teams.forms import OpenFamilyForm
from teams.views import render_outside_team


class OutsideTeamMiddleware:
    """Any staff view that reads another team's family answers with the page that asks why
    (403), so the check lives in the selectors and no view has to handle it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OutsideTeam):
            return None
        # After a POST (an action on the page) go back to the page the action came from.
        back = (
            request.get_full_path()
            if request.method == "GET"
            else request.headers.get("referer", "")
        )
        form = OpenFamilyForm(initial={"family": exception.family_id, "next": back})
        return render_outside_team(request, form=form, team_name=exception.team_name)
