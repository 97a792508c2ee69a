"""iCalendar (RFC 5545) invitation for a meeting: attached to the convocation e-mail and downloadable."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from governance.models import Meeting, Member


def meeting_ics(meeting: Meeting, *, attendees: list[Member] = ()) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.NETWORK_NAME}//Gouvernance//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"{meeting.uid}@reseau-emploi")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"{meeting.committee} — {meeting.title}")
    if meeting.location:
        event.add("location", meeting.location)
    agenda = "\n".join(f"{item.order}. {item.title}" for item in meeting.agenda_items.all())
    event.add("description", f"Ordre du jour :\n{agenda}" if agenda else "Ordre du jour à venir.")
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    for member in attendees:
        address = vCalAddress(f"mailto:{member.email}")
        address.params["cn"] = vText(member.full_name)
        address.params["role"] = vText(
            "REQ-PARTICIPANT" if member.seat == Member.Seat.TITULAR else "OPT-PARTICIPANT"
        )
        event.add("attendee", address, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
