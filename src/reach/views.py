from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from reach import selectors
from reach.forms import TripForm
from reach.models import TransitFeed
from reach.travel import MODE_LABELS, Mode


@login_not_required
def index(request):
    form = TripForm(request.GET or None)
    trip = None
    if form.is_valid():
        origin, destination = form.cleaned_data["origin"], form.cleaned_data["destination"]
        trip = selectors.trip(origin=origin.code, destination=destination.code)
        if trip is not None:
            trip = {
                "origin": origin,
                "destination": destination,
                "road_km": trip.road_km,
                "rows": [(MODE_LABELS[mode], trip.minutes[mode]) for mode in Mode],
            }
    return render(
        request,
        "reach/index.html",
        {
            "title": "Temps de trajet",
            "breadcrumb_links": [],
            "form": form,
            "trip": trip,
            "feeds": TransitFeed.objects.all(),
        },
    )
