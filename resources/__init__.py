"""Icons, email templates and styles that ship with the application."""
