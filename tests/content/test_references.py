"""Stage 3: every reference field is found from the schema, checked, and mirrored as a back-reference."""

import pytest

from generator.build import check_content
from generator.content.references import iter_references
from generator.errors import ContentError

from ..conftest import write_files

PAGES = {f"pages/{p}.md": f"---\ntitle: {p}\n---\ntext\n" for p in ("about", "contribute")}
PAGES["pages/accessibility.md"] = "---\ntitle: accessibility\nreviewed: 2025-06-01\n---\ntext\n"

BASE = {
    **PAGES,
    "authorities/north-town.yml": "name: עיר בצפון\ntype: municipality\ndistrict: north\ncluster: galil\n",
    "authorities/south-town.yml": "name: עיר בדרום\ntype: local_council\ndistrict: south\n",
    "clusters/galil.yml": "name: אשכול\nauthorities: [south-town]\n",
    "organizations/ngo.yml": "name: עמותה\nsector: third_sector\n",
    "organizations/ministry.yml": "name: משרד\nsector: government\n",
    "taxonomies/topics.yml": "emergency:\n  label: חירום\n",
    "taxonomies/populations.yml": "elderly:\n  label: ותיקים\n",
    "initiatives/alpha.md": (
        "---\ntitle: אלפא\nsummary: ס\nauthorities: [north-town]\nscope: local\nlead: ngo\n"
        "partners:\n  - org: ministry\n    role: מממן\ntopics: [emergency]\npopulations: [elderly]\ncontext: emergency\n"
        "status: active\ncontacts:\n  - name: דנה\n    role: רכזת\n    organization: north-town\n"
        "related: [beta]\nupdated: 2025-01-01\n---\n"
    ),
    "initiatives/beta.md": (
        "---\ntitle: בטא\nsummary: ס\nclusters: [galil]\nscope: regional\ntopics: [emergency]\ncontext: routine\n"
        "status: idea\nupdated: 2025\n---\n"
    ),
    "forums/table.md": (
        "---\ntitle: שולחן\nsummary: ס\nkind: round_table\nconveners: [ministry, south-town]\nmembers: [ngo]\n"
        "topics: [emergency]\ncontext: both\nmeetings:\n  - date: 2024-05-01\n    title: מפגש\n    format: online\n"
        "outcomes:\n  - title: החלטה\n    kind: decision\n    owner: ngo\n    meeting: 2024-05-01\n"
        "    status: open\nupdated: 2025-02\n---\n"
    ),
}


@pytest.fixture
def graph(tmp_path):
    return check_content(write_files(tmp_path / "content", BASE))


def ids(entries):
    return sorted(e.id for e in entries)


def test_every_reference_field_is_found(graph):
    alpha = graph.get("initiatives", "alpha")
    roles = {".".join(str(p) for p in path if not isinstance(p, int)) for path, _, _ in iter_references(alpha.model)}
    assert roles == {"authorities", "lead", "partners.org", "topics", "populations", "contacts.organization", "related"}


def test_authority_knows_its_initiatives_and_forums(graph):
    north, south = ("authorities", "north-town"), ("authorities", "south-town")
    assert ids(graph.referrers(north, "initiatives")) == ["alpha"]
    assert ids(graph.referrers(south, "forums", "conveners")) == ["table"]


def test_organization_knows_each_role(graph):
    ngo, ministry = ("organizations", "ngo"), ("organizations", "ministry")
    assert ids(graph.referrers(ngo, "initiatives", "lead")) == ["alpha"]
    assert ids(graph.referrers(ministry, "initiatives", "partners.org")) == ["alpha"]
    assert ids(graph.referrers(ministry, "forums", "conveners")) == ["table"]
    assert ids(graph.referrers(ngo, "forums", "members")) == ["table"]
    assert ids(graph.referrers(ngo, "forums", "outcomes.owner")) == ["table"]


def test_cluster_membership_from_either_side(graph):
    members = graph.referrers(("clusters", "galil"), "authorities")
    assert ids(members) == ["north-town", "south-town"]
    assert ids(graph.referrers(("authorities", "south-town"), "clusters")) == ["galil"]
    assert ids(graph.referrers(("authorities", "north-town"), "clusters")) == ["galil"]


def test_terms_know_their_entries(graph):
    assert ids(graph.referrers(("topics", "emergency"), "initiatives")) == ["alpha", "beta"]
    assert ids(graph.referrers(("topics", "emergency"), "forums")) == ["table"]


def test_missing_targets_are_all_reported_with_field_path_and_line(tmp_path):
    broken = dict(BASE)
    broken["initiatives/alpha.md"] = (
        broken["initiatives/alpha.md"].replace("lead: ngo", "lead: ngoo").replace("[emergency]", "[emergency, floods]")
    )
    with pytest.raises(ContentError) as caught:
        check_content(write_files(tmp_path / "content", broken))
    lines = [p.format(relative_to=tmp_path / "content") for p in caught.value.problems]
    assert lines == [
        "initiatives/alpha.md:6: initiatives → alpha: lead: 'ngoo' does not exist in organizations/ or authorities/. "
        "Did you mean 'ngo'? Use the id of an existing entry, or add that entry.",
        "initiatives/alpha.md:10: initiatives → alpha: topics[1]: 'floods' does not exist in taxonomies/topics.yml. "
        "Use the id of an existing entry, or add that entry.",
    ]
