"""The catalogue in a browser: Datasette with nianbao's metadata, search, report pages and charts.

`webui.app.make_datasette()` builds it; `nianbao serve` runs it on 127.0.0.1 beside pywb.
"""
