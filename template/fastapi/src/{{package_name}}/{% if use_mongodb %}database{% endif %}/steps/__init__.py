"""The migrate steps, one module each, applied in the order of their names (``migrations.py``)."""
