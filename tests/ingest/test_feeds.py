from claimledger.ingest.feeds import read_feed
from claimledger.models import Article, Rejection

from paths import SAMPLES


def test_sample_feed_entries_with_content_become_articles_and_teasers_are_reported():
    feed = SAMPLES / "feeds" / "boko-haram.rss"
    items = list(read_feed(feed.read_bytes(), str(feed)))
    articles = [i for i in items if isinstance(i, Article)]
    rejected = [i for i in items if isinstance(i, Rejection)]
    assert len(articles) == 4 and len(rejected) == 2
    assert all("no full content" in r.reason and "#entry" in r.source for r in rejected)
    first = articles[0]
    assert first.url == "https://example.org/fnc1/body/2139"
    assert first.published == "2014-10-17T09:00:00"
    assert "Boko Haram" in first.text
    assert first.headline


def test_atom_feed_with_full_content():
    body = "".join(f"<p>Officials said on Monday that talks would resume, sentence {i} of the story.</p>"
                   for i in range(12))
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id><updated>2022-02-16T10:00:00Z</updated>
<entry><title>Talks resume</title><id>urn:1</id><link href="https://wire.example/talks"/>
<updated>2022-02-16T10:00:00Z</updated><author><name>Jane Roe</name></author>
<content type="html"><![CDATA[{body}]]></content></entry></feed>""".encode()
    (article,) = read_feed(atom, "wire.atom")
    assert isinstance(article, Article)
    assert article.outlet == "Wire" and article.authors == ("Jane Roe",)
    assert article.published == "2022-02-16T10:00:00"
    assert article.url == "https://wire.example/talks"


def test_feed_without_entries_is_rejected():
    rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>'
    (rejection,) = read_feed(rss, "empty.rss")
    assert isinstance(rejection, Rejection) and "no entries" in rejection.reason


def test_rdf_in_an_unknown_rss_namespace_is_rejected_not_guessed_at():
    body = "".join(f"<p>Officials said on Monday that talks would resume, sentence {i} of the story.</p>"
                   for i in range(12))
    rdf = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://example.org/rss/9.9/">
<channel><title>Wire</title></channel>
<item><title>Talks resume</title><link>https://wire.example/talks</link>
<description><![CDATA[{body}]]></description></item></rdf:RDF>""".encode()
    (rejection,) = read_feed(rdf, "unknown.rdf")
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("not a feed format feedparser knows")
    assert "root element <RDF>" in rejection.reason and "http://example.org/rss/9.9/" in rejection.reason
