# Saved searches are their owners' own notes (scope: owner only), so they are not in the admin site; they are
# managed on the search pages, and every change is in the audit log.
