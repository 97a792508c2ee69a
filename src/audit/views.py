import csv

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from audit import selectors
from audit.forms import JournalFilterForm
from audit.models import AuditEntry
from audit.services import record
from core.pagination import page_query

COLUMNS = [
    "at",
    "actor_label",
    "organisation",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "reason",
    "changes",
    "ip_address",
]


def _filtered(request):
    if not selectors.may_review(request.user):
        raise Http404
    form = JournalFilterForm(request.GET or None)
    filters = {key: value for key, value in (form.cleaned_data.items() if form.is_valid() else []) if value}
    return form, selectors.entries(**filters)


def journal(request):
    form, found = _filtered(request)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/journal.html",
        {
            "title": "Journal d'audit",
            "breadcrumb_links": [],
            "form": form,
            "page_obj": page,
            "page_query": page_query(request.GET),
            "count": found.count(),
        },
    )


def journal_csv(request):
    form, found = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="journal-audit.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(COLUMNS)
    count = 0
    for entry in found.iterator(chunk_size=2000):
        writer.writerow(
            [
                getattr(entry, name) if name != "organisation" else (entry.organisation or "")
                for name in COLUMNS
            ]
        )
        count += 1
    # The export itself is a sensitive act: the journal records it too (the object is the person who exported).
    record(
        action=AuditEntry.Action.EXPORT,
        obj=request.user,
        request=request,
        reason=f"export du journal d'audit : {count} entrées ({request.GET.urlencode()})",
    )
    return response
