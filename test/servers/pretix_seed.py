"""Seeds a migrated pretix database through pretix's own Django ORM, for the connector tests.

Run with the pretix venv's python and PRETIX_CONFIG_FILE set (test/helpers/pretix-server.ts does):

    python test/servers/pretix_seed.py '{"organizer": "certforge", "event": "conf", ...}'

Creates an organizer, an event (several days, live, bank transfer enabled, given/family name
scheme), a product "Ticket" with a quota, a check-in list for all products, and a team with all
event and organizer permissions that holds a TeamAPIToken: the one thing pretix's REST API cannot
create. Everything else the tests do goes through the REST API with that token.

Prints one line `SEED {...json...}` with the ids and the token.
"""

import datetime as dt
import json
import os
import sys
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pretix.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402
from i18nfield.strings import LazyI18nString  # noqa: E402

from pretix.base.models import Event, Organizer, Team  # noqa: E402


def main():
    spec = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    organizer_slug = spec.get("organizer", "certforge")
    event_slug = spec.get("event", "conf")
    days = int(spec.get("days", 3))
    date_from = dt.datetime.fromisoformat(spec.get("dateFrom", "2026-09-14T09:00:00+00:00"))
    date_to = date_from + dt.timedelta(days=days - 1, hours=8)

    with scopes_disabled(), transaction.atomic():
        organizer = Organizer.objects.create(name=spec.get("organizerName", "certforge test"), slug=organizer_slug)
        # Bank transfer is an event-and-organizer ("hybrid") plugin: it must be on for both.
        organizer.enable_plugin("pretix.plugins.banktransfer")
        organizer.save()
        event = Event.objects.create(
            organizer=organizer,
            name=LazyI18nString({"en": spec.get("eventName", "certforge test conference")}),
            slug=event_slug,
            currency="EUR",
            date_from=date_from,
            date_to=date_to,
            location=LazyI18nString({"en": "Online"}),
            is_public=True,
        )
        event.set_defaults()
        for plugin in ("pretix.plugins.banktransfer", "pretix.plugins.ticketoutputpdf", "pretix.plugins.checkinlists"):
            event.enable_plugin(plugin)
        event.settings.timezone = "UTC"
        event.settings.locale = "en"
        event.settings.locales = ["en"]
        event.settings.name_scheme = "given_family"
        event.settings.attendee_names_asked = True
        event.settings.attendee_emails_asked = True
        event.settings.payment_banktransfer__enabled = True
        event.settings.payment_banktransfer_bank_details_type = "other"
        event.settings.payment_banktransfer_bank_details = LazyI18nString({"en": "certforge test bank, 0000"})
        # No mail server here: pretix must not try to send any.
        event.settings.mail_send_order_placed_attendee = False
        event.settings.mail_send_order_paid_attendee = False

        item = event.items.create(
            name=LazyI18nString({"en": "Ticket"}),
            default_price=Decimal(spec.get("price", "10.00")),
            admission=True,
            personalized=True,
            active=True,
        )
        quota = event.quotas.create(name="Tickets", size=int(spec.get("quota", 1000)))
        quota.items.add(item)
        checkin_list = event.checkin_lists.create(
            name="Entry",
            all_products=True,
            # pretix's default is one entry per ticket: a second redeem answers 400 already_redeemed.
            allow_multiple_entries=bool(spec.get("allowMultipleEntries", False)),
        )

        event.live = True
        event.save()

        team = Team.objects.create(
            organizer=organizer,
            name="certforge connector",
            all_events=True,
            all_event_permissions=True,
            all_organizer_permissions=True,
        )
        token = team.tokens.create(name="certforge connector tests")

    print(
        "SEED "
        + json.dumps(
            {
                "organizer": organizer.slug,
                "event": event.slug,
                "token": token.token,
                "productId": item.pk,
                "quotaId": quota.pk,
                "checkinListId": checkin_list.pk,
                "teamId": team.pk,
                "dateFrom": event.date_from.isoformat(),
                "dateTo": event.date_to.isoformat(),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
