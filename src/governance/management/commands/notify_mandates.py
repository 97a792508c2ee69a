from django.core.mail import send_mail
from django.core.management import BaseCommand
from django.utils import timezone

from accounts.models import User
from governance import services
from governance.models import Committee, Member
from governance.permissions import STEERING_ROLES


def recipients(committee: Committee) -> list[str]:
    """Who runs the committee: its co-chairs with an account and the steering staff of its secretariat."""
    chairs = User.objects.filter(committee_seats__committee=committee, is_active=True).exclude(
        committee_seats__chair=""
    )
    emails = set(chairs.values_list("email", flat=True))
    if committee.secretariat_id:
        emails |= set(
            User.objects.filter(
                memberships__organisation=committee.secretariat,
                memberships__role__in=STEERING_ROLES,
                is_active=True,
            ).values_list("email", flat=True)
        )
    return sorted(emails)


class Command(BaseCommand):
    help = (
        "List, per committee, the mandates that end within the level's warning period or have ended without a "
        "renewal, and with --send e-mail that list to the people who run the committee (co-chairs, secretariat). "
        "Run it monthly (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="send the e-mails (default: print only)")

    def handle(self, *args, send=False, **options):
        today = timezone.localdate()
        for committee in Committee.objects.order_by("level", "name"):
            lines = []
            for member in committee.members.order_by("mandate_end"):
                state = services.expiry_state(member, on=today)
                renewed = committee.members.filter(
                    full_name=member.full_name, mandate_start__gt=member.mandate_end
                ).exists()
                if state == "expiring":
                    lines.append(
                        f"- {member} ({member.get_seat_display()}) : mandat jusqu'au {member.mandate_end:%d/%m/%Y}"
                    )
                elif state == "expired" and not renewed and member.seat == Member.Seat.TITULAR:
                    lines.append(
                        f"- {member} : mandat échu le {member.mandate_end:%d/%m/%Y}, à renouveler ou remplacer"
                    )
            if not lines:
                continue
            to = recipients(committee)
            self.stdout.write(f"{committee} → {', '.join(to) or 'aucun destinataire'}")
            for line in lines:
                self.stdout.write(line)
            if send and to:
                send_mail(
                    subject=f"Mandats à renouveler — {committee}",
                    message="Bonjour,\n\nLes mandats suivants arrivent à échéance ou sont échus "
                    "(nomination pour trois ans renouvelables, art. R5311-36 du code du travail) :\n\n"
                    + "\n".join(lines)
                    + "\n",
                    from_email=None,
                    recipient_list=to,
                )
