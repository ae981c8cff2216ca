"""Reports: PDFs rendered from HTML templates, the SVG charts shared with the web
dashboards, and the document store with the idempotent build report jobs use.

- ``pdf``: ``render_pdf(template, context, viewer=None)``, the CJK font checks;
- ``charts``: ``bar_chart``, ``stacked_bar_chart``, ``line_chart`` (SVG text);
- ``store``: ``build_document(...)`` (one document per unit, kind, period, variant),
  the store folder, ``watermarked(document, viewer)`` for downloads.
"""
