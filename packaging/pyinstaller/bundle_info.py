"""What the PyInstaller spec needs besides the build steps: the modules left out of
the bundle and the macOS Info.plist. Kept importable so the tests can check them."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAME = "security-sandbox"
APP_NAME = "Collective Security Sandbox"
BUNDLE_ID = "org.collective-security-sandbox.app"
DOCUMENT_UTI = "org.collective-security-sandbox.scenario"
MIME_TYPE = "application/x-security-sandbox"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]

# Modules the app never imports, left out so the bundle stays small: Qt modules
# beyond widgets, SVG, printing, OpenGL and Test (pyqtgraph imports both); pyqtgraph's
# extras; the optional Dask cluster path (pip install ".[cluster]" outside the
# bundle); test and doc tools.
EXCLUDES = [
    *(
        f"PySide6.{module}"
        for module in (
            "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
            "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus", "QtDesigner", "QtGraphs",
            "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetwork",
            "QtNetworkAuth", "QtPdf", "QtPdfWidgets", "QtPositioning",
            "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets",
            "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort", "QtSql",
            "QtStateMachine", "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore",
            "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtXml",
        )
    ),
    "pyqtgraph.examples", "pyqtgraph.opengl", "pyqtgraph.jupyter", "pyqtgraph.canvas",
    "dask", "distributed", "tornado", "cloudpickle", "msgpack", "psutil",
    "scipy", "pandas", "matplotlib", "lxml", "pygraphviz", "pydot", "IPython", "jinja2", "yaml",
    "pytest", "hypothesis", "tkinter", "unittest", "pydoc_data",
]  # fmt: skip

# macOS: the .sandbox document type the app opens (Finder double-click sends a QFileOpenEvent).
INFO_PLIST = {
    "CFBundleName": APP_NAME,
    "CFBundleDisplayName": APP_NAME,
    "CFBundleShortVersionString": VERSION,
    "CFBundleVersion": VERSION,
    "NSHighResolutionCapable": True,
    "LSMinimumSystemVersion": "12.0",
    "CFBundleDocumentTypes": [
        {
            "CFBundleTypeName": "Collective Security Sandbox scenario",
            "CFBundleTypeRole": "Editor",
            "LSHandlerRank": "Owner",
            "LSItemContentTypes": [DOCUMENT_UTI],
            "CFBundleTypeIconFile": f"{NAME}.icns",
        }
    ],
    "UTExportedTypeDeclarations": [
        {
            "UTTypeIdentifier": DOCUMENT_UTI,
            "UTTypeDescription": "Collective Security Sandbox scenario",
            "UTTypeConformsTo": ["public.json", "public.data"],
            "UTTypeIconFile": f"{NAME}.icns",
            "UTTypeTagSpecification": {
                "public.filename-extension": ["sandbox"],
                "public.mime-type": [MIME_TYPE],
            },
        }
    ],
}


def resource_datas() -> list[tuple[str, str]]:
    """(file, folder in the bundle) for every shipped resource: icons, example scenarios,
    and the sandbox.resources package itself, laid out as sandbox/resources like an install."""
    source = ROOT / "resources"
    return [
        (str(path), str(Path("sandbox", "resources", path.parent.relative_to(source))))
        for path in sorted(source.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    ]
