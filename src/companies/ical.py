from django.conf import settings
from icalendar import Calendar, Event


def operations_calendar(operations, *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.NETWORK_NAME}//agenda du recrutement//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for operation in operations:
        event = Event()
        event.add("uid", f"operation-{operation.pk}@reseau-emploi")
        event.add("summary", f"{operation.get_kind_display()} : {operation.title}")
        event.add("dtstart", operation.starts_at)
        event.add("dtend", operation.ends_at)
        event.add("location", ", ".join(part for part in (operation.address, operation.commune.name) if part))
        event.add("description", f"Organisé par {operation.organiser}. {operation.description}".strip())
        calendar.add_component(event)
    return calendar.to_ical()
