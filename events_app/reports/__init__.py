"""Reports for staff: figures of the programme counted in the database, drawn as SVG charts,
downloaded as XLSX and printed as PDF."""
