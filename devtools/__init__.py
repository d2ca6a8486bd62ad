"""Developer tools for outreach: a generator of fictional people and the sample data builder.

Not part of the installed package. See devtools/fakepeople.py for the public API and
`python -m devtools.make_sample_data` to rebuild sample_data/.
"""
