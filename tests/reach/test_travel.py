import numpy as np
import pytest

from reach.travel import CONTEXT_ORDER, Context, Mode, TravelModel, classify_context

# Real commune points (INSEE codes and coordinates of the reference files).
COMMUNES = {
    "59350": ("Lille", 50.63194, 3.05750, Context.URBAN),
    "59512": ("Roubaix", 50.69057, 3.18167, Context.URBAN),
    "80021": ("Amiens", 49.89389, 2.30250, Context.URBAN),
    "80001": ("Abbeville", 50.10583, 1.83500, Context.URBAN),
    "02408": ("Laon", 49.56417, 3.62000, Context.URBAN),
    "02381": ("Hirson", 49.92176, 4.08389, Context.PERIURBAN),
    "02300": ("Crécy-sur-Serre (rural)", 49.69722, 3.62361, Context.RURAL),
}


@pytest.fixture
def model():
    codes = list(COMMUNES)
    return TravelModel(
        codes=np.array(codes),
        latitudes=np.array([COMMUNES[c][1] for c in codes]),
        longitudes=np.array([COMMUNES[c][2] for c in codes]),
        contexts=np.array([CONTEXT_ORDER.index(COMMUNES[c][3]) for c in codes]),
    )


@pytest.mark.parametrize(
    ("population", "epci_kind", "expected"),
    [
        (232_000, "METRO", Context.URBAN),
        (1_200, "METRO", Context.URBAN),
        (10_000, "CC", Context.URBAN),
        (9_999, "CC", Context.PERIURBAN),
        (800, "CA", Context.PERIURBAN),
        (1_999, "CC", Context.RURAL),
        (None, None, Context.RURAL),
    ],
)
def test_context_classification(population, epci_kind, expected):
    assert classify_context(population=population, epci_kind=epci_kind) is expected


# Reference door-to-door car durations (off-peak, rounded) and the tolerance the model is held to.
@pytest.mark.parametrize(
    ("origin", "destination", "reference_minutes"),
    [("59350", "80021", 85), ("80021", "80001", 45), ("02408", "02381", 55), ("59350", "59512", 22)],
)
def test_car_times_stay_within_25_percent_of_known_trips(model, origin, destination, reference_minutes):
    estimate = model.time(origin, destination, Mode.CAR)
    assert abs(estimate - reference_minutes) / reference_minutes <= 0.25, estimate


def test_modes_are_ordered_as_expected_on_a_regional_trip(model):
    times = {mode: model.time("80021", "80001", mode) for mode in Mode}
    assert times[Mode.CAR] < times[Mode.TWO_WHEELER] < times[Mode.BIKE] < times[Mode.WALK]
    assert times[Mode.CAR] < times[Mode.PUBLIC_TRANSPORT]


def test_public_transport_is_much_slower_from_a_rural_commune(model):
    rural = model.time("02300", "02408", Mode.PUBLIC_TRANSPORT)
    urban = model.time("80021", "80001", Mode.PUBLIC_TRANSPORT)
    rural_km = model.road_distance_km("02300", "02408")
    urban_km = model.road_distance_km("80021", "80001")
    assert rural_km < urban_km  # the rural trip is shorter…
    assert rural > urban  # …and still takes longer by bus


def test_timetable_times_replace_the_model_for_served_pairs(model):
    served = TravelModel(
        codes=model.codes,
        latitudes=model.latitudes,
        longitudes=model.longitudes,
        contexts=model.contexts,
        transit_times={("02300", "02408"): 31.0},
    )
    assert served.time("02300", "02408", Mode.PUBLIC_TRANSPORT) == 31.0
    assert served.time("02408", "02300", Mode.PUBLIC_TRANSPORT) == model.time(
        "02408", "02300", Mode.PUBLIC_TRANSPORT
    )
    assert served.time("02300", "02408", Mode.CAR) == model.time("02300", "02408", Mode.CAR)


def test_times_from_covers_every_commune_and_is_zero_at_the_origin(model):
    times = model.times_from("59350", Mode.BIKE)
    assert times.shape == (len(COMMUNES),)
    assert times[model.index["59350"]] == 0
    assert np.all(times[np.arange(len(COMMUNES)) != model.index["59350"]] > 0)
