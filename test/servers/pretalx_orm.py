"""What the connector tests do to pretalx through its Django ORM, because its REST API cannot.

Run with the pretalx venv's python and PRETALX_CONFIG_FILE set (test/helpers/pretalx-server.ts does):

    python test/servers/pretalx_orm.py seed '{"organiser": "certforge", "event": "conf", ...}'
        An organiser, an event (several days, UTC), an organiser team with all permissions, a user
        in it and a UserApiToken for that user with every endpoint's read and write permissions,
        pinned to API version v1: pretalx's API cannot create tokens.
        Prints `SEED {...json...}`.

    python test/servers/pretalx_orm.py withdraw '{"event": "conf", "code": "ABCDEF"}'
        Withdraws a submission: pretalx 2025.2.2's API has accept, reject, confirm, cancel and
        make-submitted actions, but withdrawing is something only the speaker does (in the web
        frontend). Prints `DONE {"code": ..., "state": "withdrawn"}`.
"""

import datetime as dt
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pretalx.settings")
os.environ.setdefault("PRETALX_NO_INITIAL_LOG", "1")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402


def seed(spec):
    from pretalx.event.models import Event, Organiser, Team
    from pretalx.person.models import User
    from pretalx.person.models.auth_token import ENDPOINTS, WRITE_PERMISSIONS, UserApiToken

    organiser_slug = spec.get("organiser", "certforge")
    event_slug = spec.get("event", "conf")
    days = int(spec.get("days", 3))
    date_from = dt.date.fromisoformat(spec.get("dateFrom", "2026-09-14"))
    date_to = date_from + dt.timedelta(days=days - 1)
    orga_email = spec.get("orgaEmail", "orga@certforge.test")

    with scopes_disabled(), transaction.atomic():
        organiser = Organiser.objects.create(name=spec.get("organiserName", "certforge test"), slug=organiser_slug)
        team = Team.objects.create(
            name="Organisers",
            organiser=organiser,
            all_events=True,
            can_create_events=True,
            can_change_teams=True,
            can_change_organiser_settings=True,
            can_change_event_settings=True,
            can_change_submissions=True,
        )
        event = Event.objects.create(
            name=spec.get("eventName", "certforge test conference"),
            slug=event_slug,
            organiser=organiser,
            is_public=True,
            email=orga_email,
            date_from=date_from,
            date_to=date_to,
            timezone="UTC",
            locale="en",
        )
        # The HTML export on schedule release is slow and not needed (pretalx's own tests do this too).
        event.feature_flags["export_html_on_release"] = False
        event.save()
        user = User.objects.create_user(
            email=orga_email, password=get_random_string(32), name=spec.get("orgaName", "certforge orga")
        )
        team.members.add(user)
        token = UserApiToken.objects.create(
            name="certforge connector tests",
            user=user,
            version="v1",
            endpoints={endpoint: list(WRITE_PERMISSIONS) for endpoint in ENDPOINTS},
        )
        token.events.set([event])
        submission_type = event.cfp.default_type

    return {
        "organiser": organiser.slug,
        "event": event.slug,
        "token": token.token,
        "orgaEmail": user.email,
        "orgaCode": user.code,
        "submissionTypeId": submission_type.pk,
        "dateFrom": event.date_from.isoformat(),
        "dateTo": event.date_to.isoformat(),
    }


def withdraw(spec):
    from pretalx.event.models import Event

    with scopes_disabled():
        event = Event.objects.get(slug=spec["event"])
        submission = event.submissions.get(code__iexact=spec["code"])
        speaker = submission.speakers.first()
        # `force`: pretalx lets a speaker withdraw only before confirmation; the tests may want it later.
        submission.withdraw(person=speaker, force=bool(spec.get("force", True)), orga=False)
        return {"code": submission.code, "state": submission.state}


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    spec = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    if command == "seed":
        print("SEED " + json.dumps(seed(spec)), flush=True)
    elif command == "withdraw":
        print("DONE " + json.dumps(withdraw(spec)), flush=True)
    else:
        sys.exit(f"usage: {sys.argv[0]} seed|withdraw JSON")


if __name__ == "__main__":
    main()
