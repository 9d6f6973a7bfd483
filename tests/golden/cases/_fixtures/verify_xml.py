"""Checks costcap's XML outputs with a real XML parser (Python's
xml.dom.minidom, from Debian's python3): used by the golden cases' verify
scripts.

  python3 verify_xml.py junit FILE     JUnit: counts agree, failures carry figures
  python3 verify_xml.py html FILE [ID ...]
                                       HTML: well-formed XHTML, self-contained
                                       (no script, no external resource), the
                                       cost charts and the element ids given
"""
import sys
import xml.dom.minidom

XHTML = "http://www.w3.org/1999/xhtml"
SVG = "http://www.w3.org/2000/svg"


def fail(msg):
    print("verify_xml: " + msg)
    sys.exit(1)


def junit(doc):
    root = doc.documentElement
    if root.tagName != "testsuites":
        fail("root element is %s, expected testsuites" % root.tagName)
    cases = doc.getElementsByTagName("testcase")
    failures = doc.getElementsByTagName("failure")
    for el in [root] + list(doc.getElementsByTagName("testsuite")):
        if int(el.getAttribute("tests")) != len(cases):
            fail("%s tests=%s but %d testcases" % (el.tagName, el.getAttribute("tests"), len(cases)))
        if int(el.getAttribute("failures")) != len(failures):
            fail("%s failures=%s but %d failure elements" %
                 (el.tagName, el.getAttribute("failures"), len(failures)))
    for f in failures:
        text = "".join(n.data for n in f.childNodes if n.nodeType == n.TEXT_NODE)
        if not f.getAttribute("message") or "limit:" not in text or "value:" not in text:
            fail("a failure lacks its message or figures")
    names = [c.getAttribute("name") for c in cases]
    if len(set(names)) != len(names):
        fail("testcase names repeat")
    print("junit ok: %d testcases, %d failures" % (len(cases), len(failures)))


def html(doc, ids):
    root = doc.documentElement
    if root.tagName != "html" or root.getAttribute("xmlns") != XHTML:
        fail("root is not an XHTML html element")
    for tag in ("script", "link", "img", "iframe", "object", "embed"):
        if doc.getElementsByTagName(tag):
            fail("found <%s>: the report must be self-contained" % tag)
    for el in doc.getElementsByTagName("*"):
        for attr in ("src", "xlink:href"):
            if el.getAttribute(attr):
                fail("<%s %s=...> loads a resource" % (el.tagName, attr))
        if el.tagName != "a" and el.getAttribute("href"):
            fail("<%s href=...> outside a link" % el.tagName)
    svgs = [s for s in doc.getElementsByTagName("svg") if s.getAttribute("xmlns") == SVG]
    if not svgs:
        fail("no inline SVG")
    found = {el.getAttribute("id") for el in doc.getElementsByTagName("*") if el.getAttribute("id")}
    for want in ["chart-services", "chart-resources"] + ids:
        if want not in found:
            fail("no element with id %s" % want)
    bars = sum(len(s.getElementsByTagName("rect")) for s in svgs if s.getAttribute("class") == "bars")
    lines = sum(len(s.getElementsByTagName("polyline")) for s in svgs)
    if bars == 0 or lines == 0:
        fail("charts without bars (%d) or lines (%d)" % (bars, lines))
    for s in svgs:
        for p in s.getElementsByTagName("polyline") + s.getElementsByTagName("polygon"):
            pts = p.getAttribute("points").split()
            if not pts or any(len(xy.split(",")) != 2 for xy in pts):
                fail("malformed points in a chart")
            for xy in pts:
                for v in xy.split(","):
                    float(v)
    print("html ok: %d svg, %d bars, %d lines" % (len(svgs), bars, lines))


def main():
    kind, path = sys.argv[1], sys.argv[2]
    try:
        doc = xml.dom.minidom.parse(path)
    except Exception as e:  # the parser's own message says where
        fail("%s is not well-formed XML: %s" % (path, e))
    if kind == "junit":
        junit(doc)
    else:
        html(doc, sys.argv[3:])


main()
