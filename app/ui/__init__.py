"""The browser UI (Streamlit): one module per page plus small helpers.

Pages call the services in ``app/`` (checking, reports, templates, store,
retrieval) and the pure calculators in ``checkers/``; they hold no rules of
their own. ``streamlit_app.py`` wires the pages into ``st.navigation``.
"""
