"""The community worker's phone checklist: QR links, live evaluation, autosave, photos, private evidence."""
