"""The examples of the API documents the collection is built from (/work/shared/seeds 000 and 001).

Copied from the documents by hand, not from the simulator's fixtures, so that a test compares the
modules' output with the contract and not with the simulator's own copy of it.
"""

SEED_SOURCES_12450 = [
    {"srcip": "10.0.1.150", "hostname": "LAPTOP-USER01", "sessions": 4523, "bytes": 2147483648,
     "bandwidth": 45678901, "country": "Reserved"},
    {"srcip": "10.0.1.75", "hostname": "DESKTOP-IT01", "sessions": 3891, "bytes": 1879048192,
     "bandwidth": 39012345, "country": "Reserved"},
    {"srcip": "10.0.1.45", "hostname": "SERVER-APP01", "sessions": 3204, "bytes": 1610612736,
     "bandwidth": 33456789, "country": "Reserved"},
]

SEED_APPLICATIONS_12455 = [
    {"app": "YouTube", "appcat": "Video/Audio", "sessions": 8932, "bytes": 4294967296, "bandwidth": 89456789,
     "policyid": 46, "policyname": "Internet_Access"},
    {"app": "Netflix", "appcat": "Video/Audio", "sessions": 5421, "bytes": 3221225472, "bandwidth": 67012345,
     "policyid": 46, "policyname": "Internet_Access"},
    {"app": "Microsoft.Office365", "appcat": "Cloud.IT", "sessions": 4523, "bytes": 536870912, "bandwidth": 11234567,
     "policyid": 46, "policyname": "Internet_Access"},
]


class SeedTask:
    """One seed example: the module that reads it, its task id, and what the documents show."""

    def __init__(self, module, view, rows_key, facts_key, tid, total, rows, running_tid, running_percentage):
        self.module = module
        self.view = view
        self.rows_key = rows_key
        self.facts_key = facts_key
        self.tid = tid
        self.total = total
        self.rows = rows
        self.running_tid = running_tid
        self.running_percentage = running_percentage

    @property
    def url(self):
        return "/fortiview/adom/root/%s/run/%d" % (self.view, self.tid)

    @property
    def request(self):
        """The documents' request example (the session is a placeholder there)."""
        return {"method": "get", "params": [{"url": self.url, "apiver": 3}], "session": "{{session_id}}", "id": 1}

    def __repr__(self):
        return self.view


TOP_SOURCES = SeedTask("faz_top_sources_result", "top-sources", "sources", "faz_top_sources", 12450, 10,
                       SEED_SOURCES_12450, 12451, 65)
TOP_APPLICATIONS = SeedTask("faz_top_applications_result", "top-applications", "applications", "faz_top_applications",
                            12455, 15, SEED_APPLICATIONS_12455, 12456, 72)
SEED_TASKS = (TOP_SOURCES, TOP_APPLICATIONS)
