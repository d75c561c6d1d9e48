from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("审计链")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import chain

        # Every log model, ours and Wagtail's: Wagtail writes its own entries (page edits, user admin) where no
        # service of ours runs, so the one place that sees every entry is the log model's post_save.
        for model in chain.log_models():
            post_save.connect(chain.entry_saved, sender=model, dispatch_uid=f"audit-chain-{model._meta.label}")
        post_migrate.connect(chain.genesis, sender=self)
