"""``pathway serve``: a local web page over the library, for people who do not live in a
terminal. It has no logic of its own: a form made from the product contract and the rule base's
vocabularies (``forms``), the assessment, questions, what-if and downloads of the library
(``app``), and the guards of a page that reads files and forms (``guards``: the one folder it
may read, bounded bodies and uploads, CSRF tokens, trusted hosts). Needs the ``web`` extra
(Starlette, Jinja2, uvicorn, python-multipart)."""
