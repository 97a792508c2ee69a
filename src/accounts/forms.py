from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from accounts import throttle


class LoginForm(DsfrBaseForm, AuthenticationForm):
    username = forms.EmailField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean(self):
        """Refuse a locked account or address with its own message, before and right after a failure."""
        email = self.cleaned_data.get("username")
        if email is None or self.cleaned_data.get("password") is None:
            return super().clean()
        ip = throttle.client_ip(self.request)
        lock = throttle.lock_status(email=email, ip=ip)
        if lock is not None:
            throttle.record_failure(email=email, request=self.request, reason=throttle.LOCKED_REASON)
            raise ValidationError(lock.message, code="locked")
        try:
            return super().clean()
        except ValidationError:
            lock = throttle.lock_status(email=email, ip=ip)
            if lock is not None:  # this failure was the last one allowed
                raise ValidationError(lock.message, code="locked") from None
            raise


class CodeForm(DsfrBaseForm):
    """A second-factor code: 6 digits from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label="Code de vérification",
        max_length=20,
        help_text="Les 6 chiffres affichés par votre application d'authentification, ou un code de récupération.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class EnrolmentCodeForm(CodeForm):
    """The first code, which confirms that the authenticator app holds the new secret."""

    code = forms.CharField(
        label="Code affiché par l'application",
        max_length=20,
        help_text="Les 6 chiffres affichés par votre application d'authentification.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
