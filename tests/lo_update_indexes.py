"""Open a DOCX in LibreOffice through UNO, update its indexes (the table of contents), save it as PDF.

Run by tests/test_libreoffice.py with a Python that has LibreOffice's ``uno``
module (Debian: python3-uno, for /usr/bin/python3), not the test's own:

    python3 lo_update_indexes.py IN.docx OUT.pdf PROFILE_DIR

Prints the number of indexes updated.
"""

import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(source, target, profile, soffice="soffice"):
    pipe = f"rapact_indexes_{os.getpid()}"
    office = subprocess.Popen([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
                               "--nologo", "--norestore", f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(600):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if office.poll() is not None:
                    raise SystemExit(f"soffice exited with {office.returncode}")
                time.sleep(0.1)
        else:
            raise SystemExit("soffice did not answer within 60 s")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0,
                                           (prop("Hidden", True),))
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)), (prop("FilterName", "writer_pdf_Export"),))
        print(indexes.getCount())
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge goes down with the office
            pass
    finally:
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(*sys.argv[1:])
