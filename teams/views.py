from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.decorators import professional_required
from teams import services
from teams.forms import OpenFamilyForm


def render_outside_team(request, *, form: OpenFamilyForm, team_name: str = "", status=403):
    return render(
        request, "teams/outside_team.html", {"form": form, "team_name": team_name}, status=status
    )


@professional_required
@require_POST
def open_family(request):
    """'Break the glass': the stated reason is logged, then the page asked for opens."""
    form = OpenFamilyForm(request.POST)
    if not form.is_valid():
        return render_outside_team(request, form=form, status=400)
    data = form.cleaned_data
    services.open_family_outside_team(
        actor=request.user, family_id=data["family"], reason=data["reason"]
    )
    back = data["next"]
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "vragen:queue"
    return redirect(back)
