"""The Streamlit layer: cached data access, the global selectors, shared components.

The only package module allowed to import ``streamlit`` (ruff TID251 holds the line).
"""
