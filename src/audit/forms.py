from django import forms
from dsfr.forms import DsfrBaseForm

from audit.models import AuditEntry


class JournalFilterForm(DsfrBaseForm):
    start = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.CharField(label="Auteur (adresse électronique)", required=False)
    action = forms.ChoiceField(
        label="Action", choices=[("", "Toutes"), *AuditEntry.Action.choices], required=False
    )
    object_type = forms.CharField(label="Type d'objet (ex. jobseekers.jobseeker)", required=False)
    object_id = forms.CharField(label="Identifiant de l'objet", required=False)
