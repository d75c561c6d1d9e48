"""Wagtail's own strings that its zh_Hans catalog lacks, listed here so that `make messages` keeps them in the
project's catalog (locale/zh_Hans/LC_MESSAGES/django.po), where their Chinese is written. Never imported: only
makemessages reads this file. The msgids are Wagtail's English, exactly (context and plural forms included);
the English catalog leaves them untranslated, so English sessions show Wagtail's own text.

Found by the language walker (tests/browser/test_languages.py) as each role, in a zh-hans session. Wagtail's
JavaScript strings (the sidebar's) are in wagtail_strings.js, the djangojs domain.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

STRINGS = [
    gettext_noop("(Private %(object)s)"),
    gettext_noop("item"),
    gettext_noop("items"),
    gettext_noop("%(field_label)s:"),
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    gettext_noop("%(time)s by %(user_display_name)s"),
    gettext_noop("A network error occurred"),
    gettext_noop("Actions (footer)"),
    gettext_noop("Add a concise description for search engines"),
    gettext_noop("Add or show comments"),
    gettext_noop("Any"),
    gettext_noop("Anyone"),
    gettext_noop("Anyone can edit this %(model_name)s"),
    gettext_noop("Anyone can edit this %(model_name)s – lock it to prevent others from editing"),
    gettext_noop("Application"),
    gettext_noop("Autosave is <span>paused</span>"),
    gettext_noop("Autosave is paused"),
    gettext_noop("Avoid skipping levels"),
    gettext_noop("Button text is empty"),
    gettext_noop("By task"),
    gettext_noop("By workflow"),
    gettext_noop("Can access Wagtail admin"),
    gettext_noop("Can view"),
    gettext_noop("Checks"),
    gettext_noop("Choose parent"),
    gettext_noop("Choose when this %(model_name)s should go live and/or expire"),
    gettext_noop("Choose when this page should go live and/or expire"),
    gettext_noop("Choose who can view the live version of this page"),
    gettext_noop("Close modal dialogs (like this one)"),
    gettext_noop("Content metrics"),
    gettext_noop("Correct the validation errors to resume preview (saving will highlight errors)"),
    gettext_noop("Create a new %(model_name)s"),
    gettext_noop("Cut"),
    gettext_noop("Date updated"),
    gettext_noop("Edit account avatar"),
    gettext_noop("Edited by"),
    gettext_noop("Empty frame title found"),
    gettext_noop("Empty heading found"),
    gettext_noop("Enable custom keyboard shortcuts specific to Wagtail."),
    gettext_noop("Exploring"),
    gettext_noop("Grid layout"),
    gettext_noop("Has child pages"),
    gettext_noop("How we calculate our metrics"),
    gettext_noop("If you just want to add pages to an existing site, create them as children of the homepage instead."),
    gettext_noop("Image alt text has inappropriate pattern"),
    gettext_noop("Incorrect heading hierarchy"),
    gettext_noop("Input button text is empty"),
    gettext_noop("Insert or edit a link"),
    gettext_noop("Is commenting action"),
    gettext_noop(
        "JavaScript is required to use Wagtail, but it is currently disabled.<br /> Here are the <a href=\"https://www.enable-javascript.com/\" target=\"_blank\" rel=\"noreferrer\">instructions how to enable JavaScript in your web browser</a>."  # noqa: E501 (Wagtail's msgid, exactly)
    ),
    gettext_noop("Keyboard shortcuts are currently enabled; manage your %(account_link)s to disable them."),
    gettext_noop("Link text is empty"),
    gettext_noop("List layout"),
    gettext_noop("Locked by"),
    gettext_noop("Locking: "),
    gettext_noop("Meta description is empty"),
    gettext_noop("Misusing paragraphs as headings"),
    gettext_noop("Monospace (code)"),
    gettext_noop("More contrast"),
    gettext_noop("New: %(model_name)s"),
    gettext_noop("No %(model_name)s match your query."),
    gettext_noop("Oldest"),
    gettext_noop("Page type"),
    gettext_noop("Page types usage"),
    gettext_noop("Pages/snippets at this step in a workflow will be moderated or approved by these groups of users"),
    gettext_noop("Paste"),
    gettext_noop("Paste without formatting"),
    gettext_noop("Please provide an image description to comply with best practices for accessibility."),
    gettext_noop(
        "Preview cannot display due to validation errors. <br /> Click save to highlight the relevant fields."
    ),
    gettext_noop("Readability"),
    gettext_noop("Reading time"),
    gettext_noop("Required. Letters, digits and @/./+/-/_ only."),
    gettext_noop("Save changes"),
    gettext_noop("Save your changes before leaving"),
    gettext_noop("Saved"),
    gettext_noop("Search all pages…"),
    gettext_noop("Section"),
    gettext_noop(
        "See our <a href=\"%(guide_link)s\" target=\"_blank\">content checks guide</a> for more information on how content metrics are calculated."  # noqa: E501 (Wagtail's msgid, exactly)
    ),
    gettext_noop("Shortcuts"),
    gettext_noop("Show disabled"),
    gettext_noop("Show issue"),
    gettext_noop("Show keyboard shortcuts"),
    gettext_noop("Snug"),
    gettext_noop("Sort by '%(label)s' in ascending order."),
    gettext_noop("Sort by '%(label)s' in descending order."),
    gettext_noop("Strike-through"),
    gettext_noop("Table header text is empty"),
    gettext_noop("Text editing"),
    gettext_noop("Text formatting"),
    gettext_noop("The new page will be a child of this given parent page."),
    gettext_noop(
        "The root level is where you can add new sites to your Wagtail installation. Pages created here will not be accessible at any URL until they are associated with a site."  # noqa: E501 (Wagtail's msgid, exactly)
    ),
    gettext_noop("Theme preferences"),
    gettext_noop("This data explained"),
    gettext_noop("This publishing schedule will only take effect after you select the \"Schedule to publish\" option"),
    gettext_noop("Toggle all change permissions"),
    gettext_noop("Toggle all custom permissions"),
    gettext_noop("Toggle all delete permissions"),
    gettext_noop("Toggle checks"),
    gettext_noop("Toggle minimap"),
    gettext_noop(
        "Troubleshoot your connection to the site before proceeding. Open the editor in a separate tab to view the last saved version."  # noqa: E501 (Wagtail's msgid, exactly)
    ),
    gettext_noop(
        "Upload successful. However, your new image seems to be a duplicate of this existing image. You may delete it if it wasn't required."  # noqa: E501 (Wagtail's msgid, exactly)
    ),
    gettext_noop("Usage count: (high to low)"),
    gettext_noop("Usage count: (low to high)"),
    gettext_noop("Use a meaningful title for screen reader users"),
    gettext_noop("Use meaningful text"),
    gettext_noop("Use meaningful text for screen reader users"),
    gettext_noop("Use proper heading tags"),
    gettext_noop("Use server language: %(language_name)s"),
    gettext_noop("View latest version"),
    gettext_noop("Wagtail %(current_version)s editor guide"),
    gettext_noop("We calculate reading time from word count, using different reading speeds for different languages."),
    gettext_noop(
        "We extract the main content from the page preview, remove all formatting, and calculate the number of words."
    ),
    gettext_noop(
        "We use a readability formula based on length of words and sentences. Long sentences and words result in a worse readability score."  # noqa: E501 (Wagtail's msgid, exactly)
    ),
    gettext_noop("Words"),
    gettext_noop("account"),
    gettext_noop("admin theme"),
    gettext_noop("contrast"),
    gettext_noop("density"),
    # The page search's count (wagtailadmin/pages/search_results.html: blocktrans with counter, count counter_val).
    ngettext_lazy("There is one matching page", "There are %(counter)s matching pages", "counter_val"),
    ngettext_lazy("This %(model_name)s is referenced %(usage_count)s time.",
                  "This %(model_name)s is referenced %(usage_count)s times.", "usage_count"),
]
