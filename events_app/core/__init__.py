"""What every domain stands on: settings, the database, the clock, errors, languages, text and
the small web kit (forms, guards, panels, templates) that controllers share."""
