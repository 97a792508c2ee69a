import re

from django import forms
from django.conf import settings
from dsfr.forms import DsfrBaseForm

from accounts.models import Organisation, User
from governance import indicators
from governance.models import (
    ActionSheet,
    AgendaItem,
    Attendance,
    Ballot,
    Commitment,
    Committee,
    FollowUpAction,
    Indicator,
    Measurement,
    Meeting,
    MeetingDocument,
    Member,
    Milestone,
    Motion,
    SheetStatus,
    Target,
)
from territories.models import Bassin, Commune

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CommitteeForm(DsfrBaseForm, forms.ModelForm):
    commune_codes = forms.CharField(
        label="Communes (codes INSEE)",
        required=False,
        help_text="Pour un comité local sur un ensemble de communes : codes INSEE séparés par des espaces ou virgules.",
    )

    class Meta:
        model = Committee
        fields = [
            "name",
            "level",
            "region",
            "departement",
            "parent",
            "local_scope",
            "zone_emploi",
            "bassin",
            "epci",
            "secretariat",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Committee.objects.exclude(level="local").exclude(pk=self.instance.pk)
        if self.instance.pk:
            self.fields["commune_codes"].initial = " ".join(
                self.instance.communes.values_list("code", flat=True)
            )

    def clean_commune_codes(self):
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data["commune_codes"]) if c]
        found = {c.code: c for c in Commune.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(f"Codes INSEE inconnus : {', '.join(unknown)}.")
        return [found[c] for c in codes]


class MemberForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "full_name",
            "email",
            "college",
            "capacity",
            "position",
            "organisation",
            "institution",
            "user",
            "seat",
            "substitute_for",
            "chair",
            "designation_reference",
            "has_vote",
            "mandate_start",
            "mandate_end",
        ]
        widgets = {"mandate_start": DATE, "mandate_end": DATE}
        help_texts = {
            "mandate_end": "Laissez vide : trois ans moins un jour après le début (art. R5311-36).",
            "has_vote": "Seuls l'État, les collectivités et les partenaires sociaux ont voix délibérative (R5311-37).",
        }

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.committee = committee
        self.fields["substitute_for"].queryset = committee.members.filter(seat=Member.Seat.TITULAR).exclude(
            pk=self.instance.pk
        )
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("last_name", "first_name")
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)
        self.fields["mandate_end"].required = False


class MeetingForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "location", "status"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}

    def __init__(self, *args, with_status: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_status:
            del self.fields["status"]

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "La fin de la réunion doit suivre son début.")
        return data


class AgendaItemForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["order", "title", "presenter", "duration_minutes", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class DocumentForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = MeetingDocument
        fields = ["title", "agenda_item", "file"]

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("Le fichier dépasse 20 Mo.")
        return upload


class AttendanceForm(DsfrBaseForm):
    member = forms.ModelChoiceField(queryset=Member.objects.none(), label="Membre")
    status = forms.ChoiceField(choices=Attendance.Status.choices, label="Présence")

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class ProxyForm(DsfrBaseForm):
    giver = forms.ModelChoiceField(queryset=Member.objects.none(), label="Membre empêché qui donne pouvoir")
    holder = forms.ModelChoiceField(
        queryset=Member.objects.none(),
        label="Membre présent qui reçoit le pouvoir",
        required=False,
        help_text="Vide : retirer le pouvoir.",
    )

    def __init__(self, *args, givers, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["giver"].queryset = givers
        self.fields["holder"].queryset = holders


class MotionForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Motion
        fields = ["title", "kind", "agenda_item", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()


class VoteForm(DsfrBaseForm):
    """One choice per seat counted in the quorum, labelled with who casts it."""

    def __init__(self, *args, casters: dict, seats: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "ne prend pas part au vote"), *Ballot.Choice.choices]
        for seat_id, caster in casters.items():
            seat = seats[seat_id]
            how = (
                ""
                if caster.pk == seat.pk
                else (
                    f" — suppléé par {caster}"
                    if caster.substitute_for_id == seat.pk
                    else f" — pouvoir à {caster}"
                )
            )
            chair = " (coprésident État)" if seat.chair == Member.Chair.STATE else ""
            self.fields[f"seat_{seat_id}"] = forms.ChoiceField(
                label=f"{seat}{chair}{how}", choices=choices, required=False
            )

    def choices(self) -> dict[int, str]:
        return {int(name.removeprefix("seat_")): value for name, value in self.cleaned_data.items() if value}


class FollowUpActionForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = FollowUpAction
        fields = ["title", "owner", "owner_name", "deadline"]
        widgets = {"deadline": DATE}


class CommitmentForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["stake", "number", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, protocol, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.protocol = protocol
        self.fields["stake"].queryset = protocol.stakes.all()
        self.fields["stake"].label_from_instance = lambda s: f"{s} — {s.title[:90]}"


class SheetForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = ActionSheet
        fields = [
            "title",
            "objective",
            "owner",
            "owner_name",
            "co_partners",
            "departement",
            "budget",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "objective": forms.Textarea(attrs={"rows": 3}),
            "co_partners": forms.CheckboxSelectMultiple,
        }


class StatusForm(DsfrBaseForm):
    status = forms.ChoiceField(choices=SheetStatus.choices, label="Nouvel état")
    reason = forms.CharField(label="Motif du changement", widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["kind", "title", "due_on"]
        widgets = {"due_on": DATE}


class IndicatorForm(DsfrBaseForm, forms.ModelForm):
    query_name = forms.ChoiceField(label="Requête de calcul", required=False)

    class Meta:
        model = Indicator
        fields = [
            "name",
            "definition",
            "unit",
            "source",
            "query_name",
            "higher_is_better",
            "bassin",
            "baseline_value",
            "baseline_on",
        ]
        widgets = {
            "baseline_on": DATE,
            "definition": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["query_name"].choices = [("", "— (indicateur saisi)")] + [
            (q.name, f"{q.name} — {q.label}" + ("" if q.available else " (pas encore disponible)"))
            for q in indicators.all_queries()
        ]
        self.fields["bassin"].queryset = Bassin.objects.filter(code__startswith=settings.REGION_CODE)

    def clean(self):
        data = super().clean()
        if data.get("source") == Indicator.Source.COMPUTED and not data.get("query_name"):
            self.add_error("query_name", "Un indicateur calculé nomme la requête qui le calcule.")
        if data.get("source") == Indicator.Source.MANUAL:
            data["query_name"] = ""
        query = indicators.get(data.get("query_name") or "")
        if data.get("bassin") and query is not None and not query.by_bassin:
            self.add_error("bassin", f"La requête « {query.name} » ne se calcule que pour toute la région.")
        return data


class TargetForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Target
        fields = ["due_on", "value"]
        widgets = {"due_on": DATE}


class MeasurementForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["measured_on", "value", "source"]
        widgets = {"measured_on": DATE}
