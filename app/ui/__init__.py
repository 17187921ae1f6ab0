"""The browser UI (Streamlit): one module per page plus small helpers.

Only Streamlit code lives here. Pages get their services from
:func:`app.ui.services.get_services` (``app.services.build_services``,
cached per settings, the same wiring the CLI uses) and call them: checks and
supplied values (:mod:`app.check_service`, :mod:`app.supplements`,
:mod:`app.word_counts`, :mod:`app.uploads`), the gradient calculator
(:mod:`app.gradient`), reports, templates, the review store and retrieval.
They hold no rules of their own. ``streamlit_app.py`` wires the pages into
``st.navigation``.
"""
