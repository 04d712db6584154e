"""Calendar providers behind one Protocol: local, CalDAV, Google, Microsoft Graph, EWS."""
