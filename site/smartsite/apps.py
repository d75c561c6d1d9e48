from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmartsiteConfig(AppConfig):
    name = "smartsite"
    verbose_name = _("站点")

    def ready(self):
        # Wagtail's own reports (site history, locked and aging pages) and every IndexView with list_export
        # write spreadsheets through SpreadsheetExportMixin; give them the project's formula-safe row writers.
        from wagtail.admin.views.mixins import SpreadsheetExportMixin

        from .spreadsheet import SafeSpreadsheetExportMixin

        SpreadsheetExportMixin.write_csv_row = SafeSpreadsheetExportMixin.write_csv_row
        SpreadsheetExportMixin.generate_xlsx_row = SafeSpreadsheetExportMixin.generate_xlsx_row

        # Wagtail's group form: labels it froze at import follow the reader's language; its page search names the
        # pages it counts (issue 20).
        from .page_search import name_page_search_results
        from .permission_labels import localize_wagtail_panels

        localize_wagtail_panels()
        name_page_search_results()
