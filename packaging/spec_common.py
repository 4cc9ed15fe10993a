"""What every platform's PyInstaller spec shares: the entry point, the data the app reads at run
time, the plugins found through package metadata, and what the draft-only bundle leaves out.

Imported by packaging/{linux,windows,macos}/studio.spec (PyInstaller runs specs as Python with
`SPECPATH` set). Set STORYBOARD_BUNDLE_TORCH=1 to build the generation-capable variant, which
carries torch/diffusers/transformers from the build environment (install a CUDA torch there first).
"""

from __future__ import annotations

import os
import sys
from fnmatch import fnmatch
from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_dynamic_libs, collect_submodules, copy_metadata

PACKAGING = Path(__file__).resolve().parent
REPO = PACKAGING.parent
APP_NAME = "Storyboard Studio"
EXE_NAME = "studio"
TORCH_VARIABLE = "STORYBOARD_BUNDLE_TORCH"

# OTIO adapters are plugins: found through their `opentimelineio.plugins` entry points (package
# metadata) and then loaded from the .py file next to their plugin_manifest.json, so they ship as
# source files, with their metadata.
OTIO_ADAPTERS = ["otio_fcp_adapter", "otio_fcpx_xml_adapter", "otio_kdenlive_adapter", "otio_cmx3600_adapter", "otio_aaf_adapter"]
OTIO_DISTRIBUTIONS = ["opentimelineio", "otio-fcp-adapter", "otio-fcpx-xml-adapter", "otio-kdenlive-adapter", "otio-cmx3600-adapter", "otio-aaf-adapter"]

# Only generation backends import these, lazily: the draft bundle runs without them.
GENERATION_ONLY = [
    "torch",
    "torchvision",
    "torchaudio",
    "torchao",
    "torchsde",
    "diffusers",
    "transformers",
    "accelerate",
    "peft",
    "safetensors",
    "huggingface_hub",
    "tokenizers",
    "sentencepiece",
    "ftfy",
    "triton",
    "sympy",
    "networkx",
    "imwatermark",  # the optional invisible watermark pulls torch through its own imports
    "pywt",
]
# The render farm's Ray (the [farm] extra), imported only when a farm render starts: a machine
# that renders on a farm installs the package with pip, which brings it; the bundle renders here.
FARM_ONLY = ["ray", "grpc"]
# Never used by the app; some are pulled in by optional imports of the libraries above.
NEVER_USED = ["tkinter", "matplotlib", "IPython", "jupyter", "notebook", "pytest", "hypothesis", "_pytest", "setuptools", "pip", "pandas"]
# Qt modules the app never loads (it uses QtCore, QtGui, QtWidgets, QtSvg, QtMultimedia, QtMultimediaWidgets).
UNUSED_QT = [
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtQuick",
    "PySide6.QtQuick3D",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQml",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DExtras",
    "PySide6.QtCharts",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDesigner",
    "PySide6.QtBluetooth",
    "PySide6.QtPositioning",
    "PySide6.QtLocation",
    "PySide6.QtSensors",
    "PySide6.QtSerialPort",
    "PySide6.QtRemoteObjects",
    "PySide6.QtScxml",
    "PySide6.QtTextToSpeech",
    "PySide6.QtHelp",
    "PySide6.QtNfc",
    "PySide6.QtSpatialAudio",
]


# Files the analysis drags in that the app never loads: the GTK platform theme and everything it
# pulls from the build machine (pango, cairo, …: mixed with a user's own GTK they crash; the app
# draws its own Fusion theme), the virtual keyboard, the PDF image plugin, Qt's translations.
PRUNED_FILES = [
    "libqgtk3.so",
    "libqtvirtualkeyboardplugin.so",
    "libQt6VirtualKeyboard*.so*",
    "libqpdf.so",
    "libQt6Pdf*.so*",
    "libpango*.so*",
    "libcairo*.so*",
    "libharfbuzz*.so*",
    "libgdk_pixbuf*.so*",
    "libatk-*.so*",
    "libfribidi*.so*",
    "libthai*.so*",
    "libdatrie*.so*",
    "libgraphite2*.so*",
    "libpixman*.so*",
]
PRUNED_FOLDERS = ["PySide6/Qt/translations/"]


def keep(entry: tuple[str, str, str]) -> bool:
    dest = entry[0].replace("\\", "/")
    name = dest.rsplit("/", 1)[-1]
    return not any(fnmatch(name, pattern) for pattern in PRUNED_FILES) and not any(dest.startswith(folder) for folder in PRUNED_FOLDERS)


def prune(analysis) -> None:
    """Drops PRUNED_FILES and PRUNED_FOLDERS from an Analysis before it is collected (Linux only:
    elsewhere these are different files, left to PyInstaller)."""
    if sys.platform.startswith("linux"):
        analysis.binaries = [entry for entry in analysis.binaries if keep(entry)]
        analysis.datas = [entry for entry in analysis.datas if keep(entry)]


def with_torch() -> bool:
    return os.environ.get(TORCH_VARIABLE, "").strip() in {"1", "true", "yes"}


def datas() -> list[tuple[str, str]]:
    found = [(str(REPO / "resources"), "resources")]  # styles, moderation lists, icons: read beside the packages
    for package in ["opentimelineio", *OTIO_ADAPTERS, "reportlab"]:  # plugin manifests; reportlab's Vera fonts
        found += collect_data_files(package)
    for distribution in OTIO_DISTRIBUTIONS:
        found += copy_metadata(distribution)
    # Versions the diagnostics report reads from package metadata (the app's own among them).
    for distribution in ["storyboard-studio", "PySide6-Essentials", "av", "opencv-python-headless", "numpy", "reportlab", "c2pa-python"]:
        found += copy_metadata(distribution)
    if with_torch():
        for distribution in ["torch", "diffusers", "transformers", "accelerate"]:
            found += copy_metadata(distribution)
    return found


def binaries() -> list[tuple[str, str]]:
    return collect_dynamic_libs("c2pa")  # libc2pa_c, loaded with ctypes from c2pa/libs


def hiddenimports() -> list[str]:
    found = ["opentimelineio.adapters", *collect_submodules("opentimelineio.adapters")]
    for package in OTIO_ADAPTERS:
        found += collect_submodules(package)
    # pipeline modules reached through lazy imports inside functions are found by the analysis;
    # these are only ever named in strings (the resident worker's targets, backend factories).
    # Generation modules are carried too: without torch they fail with the app's own "install torch" message.
    found += collect_submodules("pipeline")
    found += collect_submodules("ui") + collect_submodules("cli") + collect_submodules("studio")
    return found


def excludes() -> list[str]:
    return [*NEVER_USED, *UNUSED_QT, *FARM_ONLY, *([] if with_torch() else GENERATION_ONLY)]


def module_collection_mode() -> dict[str, str]:
    return {package: "py" for package in OTIO_ADAPTERS}


def analysis_options() -> dict[str, object]:
    return {
        "scripts": [str(PACKAGING / "entry.py")],
        "pathex": [str(REPO)],
        "binaries": binaries(),
        "datas": datas(),
        "hiddenimports": hiddenimports(),
        "excludes": excludes(),
        "module_collection_mode": module_collection_mode(),
        "noarchive": False,
    }


def icon(name: str) -> str:
    return str(REPO / "resources" / "icons" / name)


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("storyboard-studio")
    except PackageNotFoundError:
        return "0.0.0"
