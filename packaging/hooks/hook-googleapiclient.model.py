"""Only the Calendar API's discovery document: the client builds it with
static_discovery, and the full set of documents is over 100 MB."""

from PyInstaller.utils.hooks import collect_data_files, copy_metadata

datas = copy_metadata("google_api_python_client")
datas += collect_data_files(
    "googleapiclient.discovery_cache", includes=["documents/calendar.v3.json"]
)
