from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One read or change of sensitive data: who, acting for which organisation, did what to which object, when.

    Entries are append-only (no update or delete through the app); `changes` holds field names with their old
    and new values for changes, never the sensitive values of a read.
    """

    class Action(models.TextChoices):
        READ = "read", "Consultation"
        CREATE = "create", "Création"
        UPDATE = "update", "Modification"
        DELETE = "delete", "Suppression"
        EXPORT = "export", "Export"
        ANONYMISE = "anonymise", "Anonymisation"
        LOGIN = "login", "Connexion"
        LOGIN_FAILED = "login_failed", "Échec de connexion"

    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField("auteur", max_length=254, blank=True)  # kept if the account is deleted
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField("type d'objet", max_length=100, db_index=True)
    object_id = models.CharField("identifiant", max_length=64, db_index=True)
    object_repr = models.CharField("objet", max_length=200, blank=True)
    changes = models.JSONField("modifications", default=dict, blank=True)
    reason = models.CharField("motif", max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self):
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"
        )
