"""Statements from short news passages: the repairs made to what the attribution tagger over-reads."""

from __future__ import annotations

from claimledger.config import load_settings
from claimledger.extract.pipeline import extract_article
from claimledger.models import Article


def statements_of(*paragraphs: str):
    article = Article.from_blocks("t", [("paragraph", p) for p in paragraphs], published="2016-09-28")
    return extract_article(article, load_settings({})).statements


def starting_with(found, prefix: str) -> list:
    """The statements of ``found`` whose text starts with ``prefix``."""
    return [s for s in found if s.text.startswith(prefix)]


def test_cue_and_speaker_swallowed_into_a_quotation_are_given_back():
    found = statements_of(
        "Victims' families say the president's claims are unfounded.",
        "“The president’s rationales to veto JASTA don’t hold weight. They are 100 percent wrong,” said 9/11 "
        "widow Terry Strada.",
    )
    quote = starting_with(found, "The president’s rationales")
    assert len(quote) == 1
    assert quote[0].text.endswith("100 percent wrong")
    assert quote[0].kind == "direct" and quote[0].cue == "said"
    assert "Strada" in quote[0].speaker_name


def test_words_after_the_cue_of_a_quotation_are_not_what_was_said():
    found = statements_of(
        "Melanie Austin spent three days in a psychiatric hospital.",
        "“It never crossed my mind that I’m losing it,” she said several months after her release, and a big "
        "reason for this conviction was the rise of Donald Trump.",
    )
    assert [s.text for s in found] == ["It never crossed my mind that I’m losing it"]
    assert found[0].speaker_name == "Melanie Austin"


def test_quotation_signed_with_a_dash_glued_to_its_closing_mark():
    found = statements_of(
        "“Trump must stop portraying Latinos as dangerous gangsters when most of us are hard-working, "
        "tax-paying, successful entrepreneurs, unlike him.”― Carla Sanchez"
    )
    assert len(found) == 1
    assert found[0].text.startswith("Trump must stop") and found[0].text.endswith("unlike him.")
    assert found[0].speaker_name == "Carla Sanchez"


def test_a_second_cue_after_a_postposed_one_reports_the_next_quotation():
    found = statements_of(
        "\"The American people do not agree with Trump,\" Sanders said, suggesting a few questions, including, "
        "\"Mr. Trump, do you really think that billionaires need a massive tax break?\""
    )
    by_text = {s.text: s for s in found}
    first = by_text["The American people do not agree with Trump"]
    second = next(s for s in found if s.text.startswith("Mr. Trump, do you really think"))
    assert first.cue == "said" and second.cue != "said"
    assert "Sanders" in first.speaker_name and "Sanders" in second.speaker_name


def test_signature_after_a_no_break_space_and_quotation_introduced_inside_a_content_run():
    found = statements_of(
        "“I just hope that this campaign gives the Hispanic community the anger to go out and vote.” ―\u00a0Jorge "
        "Falcon"
    )
    assert [s.speaker_name for s in found] == ["Jorge Falcon"]
    found = statements_of(
        "A woman asked me if I believed in the devil, and I had to change my answer: \"Of course I believe in the "
        "devil. I was just kidding.\" To which she said, \"Thank God at least you still believe in the devil.\""
    )
    thanks = starting_with(found, "Thank God")
    assert len(thanks) == 1 and thanks[0].cue == "said" and thanks[0].kind == "direct"


def test_group_speakers_are_named_without_the_clause_the_tagger_ran_into():
    found = statements_of(
        "NASA’s Office of the Inspector General released two highly critical reports on Tuesday, saying the "
        "agency had lost track of its spending.",
        "Nigerian government officials have spent weeks denying that the girls were moved, the report said.",
    )
    names = {s.speaker_name for s in found}
    assert not any(name and (" released" in name or " have" in name or name.endswith(" and")) for name in names)


def test_two_reports_joined_by_and_are_two_statements_of_one_speaker():
    found = statements_of(
        "China said it was \"resolutely opposed\" to the test and warned North Korea to refrain from further "
        "actions that would worsen the situation."
    )
    assert [s.cue for s in found] == ["said", "warned"]
    assert found[0].text == 'it was "resolutely opposed" to the test'
    assert found[1].text.startswith("North Korea to refrain")
    assert {s.speaker_name for s in found} == {"China"}


def test_quotations_reported_by_any_verb_after_a_name_or_before_a_whole_quoted_sentence():
    found = statements_of(
        "Blige sings Bruce Springsteen’s “American Skin” to Hillary Clinton.",
        "“Promise mama you’ll keep your hands in sight,” Blige sings to Clinton before asking her, “I just want "
        "to know, where do we go from here?”",
    )
    promise = starting_with(found, "Promise mama")
    asked = starting_with(found, "I just want to know")
    assert len(promise) == 1 and promise[0].cue == "sings" and "Blige" in promise[0].speaker_name
    assert len(asked) == 1 and asked[0].cue == "asking"
    found = statements_of(
        "Protesters marching through the streets chanted \"What curfew?\" and kept going until nearly 2 a.m.",
        "At his cookout, the band leader called Democratic bigwigs to the stage, singing \"It's Our Time.\"",
    )
    by_text = {s.text: s for s in found}
    assert by_text["What curfew?"].cue == "chanted"
    assert by_text["It's Our Time."].cue == "singing"
    assert not any("singing" in s.text for s in found)


def test_a_colon_that_ends_a_paragraph_introduces_the_quoted_paragraph_below():
    found = statements_of(
        "Only a small share of her donors give $200 or less.",
        "The New York Times reports:",
        '"In an illustration of the lack of enthusiasm for her among some liberal activists, just 24 percent of '
        "the contributors to her campaign so far have given $200 or less.",
    )
    quote = starting_with(found, "In an illustration")
    assert len(quote) == 1
    assert quote[0].text.endswith("$200 or less.") and quote[0].kind == "direct"
    assert quote[0].cue.startswith("reports") and quote[0].speaker_name == "New York Times"


def test_a_signed_quotation_that_quotes_within_it_is_read_to_its_own_closing_mark():
    found = statements_of(
        "“Mr. Donald Trump’s strategy tonight was to be a bully.” ― Veronica Cruz\n"
        "“As a young, Hispanic woman I’d rather live in what he calls “hell” than live in a world where he is "
        "president.” ― Adriana Rodarte"
    )
    signed = {s.speaker_name: s.text for s in found}
    assert signed["Adriana Rodarte"].startswith("As a young, Hispanic woman")
    assert signed["Adriana Rodarte"].endswith("where he is president.")
    assert {s.kind for s in found} == {"direct"}
    assert "Veronica" not in signed["Adriana Rodarte"]
    assert signed["Veronica Cruz"] == "Mr. Donald Trump’s strategy tonight was to be a bully."


def test_words_that_set_the_scene_before_a_speaker_are_not_what_was_said():
    found = statements_of(
        "Ted Cruz spoke to the delegates on Wednesday night.",
        "At a tense breakfast with the Texas delegation the following morning, Cruz said he wasn't going to "
        "back Trump.",
    )
    assert [s.text for s in found if s.cue == "said"] == ["he wasn't going to back Trump"]
    assert not any("breakfast" in s.text for s in found)


def test_a_scene_before_a_speaker_whose_report_follows_later_in_the_sentence_is_not_what_was_said():
    found = statements_of(
        "During his seven and a half years in office, Mr. Obama said, a majority of Americans have come to "
        "believe that climate change is real."
    )
    assert not any(s.text.startswith("During his seven") for s in found)


def test_the_subject_of_a_hearsay_adverb_stays_in_what_the_sentence_reports():
    found = statements_of(
        "From Batman to technology pioneer, Oscar-winning actor Christian Bale is reportedly in “late talks” to "
        "play Steve Jobs in Sony Pictures’ upcoming biopic about the Apple co-founder’s life, Variety reports."
    )
    assert len(found) == 1
    assert found[0].speaker_name == "Variety" and found[0].cue == "reports"
    assert "Christian Bale is reportedly in “late talks” to play Steve Jobs" in found[0].text


def test_a_participle_cue_reports_what_follows_it_not_the_report_before_it():
    found = statements_of(
        "Republicans weren’t too concerned about this shift in strategy. Sen. David Perdue (R-Ga.) said he didn’t "
        "believe those characterizations did Romney in in 2012, arguing that it was divisions in the Republican "
        "Party that were a bigger hurdle."
    )
    said = starting_with(found, "he didn’t believe")
    arguing = starting_with(found, "it was divisions")
    assert len(said) == 1 and said[0].cue == "said"
    assert said[0].text.endswith("in 2012")
    assert len(arguing) == 1 and arguing[0].cue == "arguing"
    assert said[0].speaker_name == arguing[0].speaker_name == "David Perdue"
    assert not any("Perdue" in s.text for s in found)


def test_a_negated_cue_keeps_its_report_marked_as_not_asserted():
    found = statements_of(
        "The Pentagon said it was moving more jets to Poland. It declined to say how many pilots would go with them."
    )
    moving = starting_with(found, "it was moving")
    declined = starting_with(found, "how many pilots")
    assert len(moving) == 1 and not moving[0].negated
    assert len(declined) == 1 and declined[0].negated
    assert declined[0].speaker_name == moving[0].speaker_name == "Pentagon"
    assert declined[0].kind == "indirect"  # what was not said was not announced


def test_a_content_the_tagger_left_without_cue_or_source_is_split_where_it_sees_a_cue():
    # The tagger's best path reads the whole sentence as content; its marginals still see "plans" as the cue.
    found = statements_of("7:45 a.m. Hillary Clinton plans to call on young people to participate in national service.")
    assert [(s.speaker_name, s.cue, s.text) for s in found] == [
        ("Hillary Clinton", "plans", "to call on young people to participate in national service")]


def test_a_cue_the_tagger_left_without_content_takes_the_words_it_most_reads_as_content():
    found = statements_of(
        "Fact-checkers are gearing up for the first debate. On Monday, PolitiFact announced it will have 18 "
        "fact-checkers working during the first presidential debate, and it will all be done in real-time.",
        "As many tax experts, including Mr. Goldberg, have pointed out, Mr. Trump is free to disclose his returns "
        "even if they are being audited.",
    )
    assert [(s.speaker_name, s.cue, s.text) for s in found] == [
        ("PolitiFact", "announced", "it will have 18 fact-checkers working during the first presidential debate, "
                                    "and it will all be done in real-time"),
        ("Goldberg", "have pointed out", "Mr. Trump is free to disclose his returns even if they are being audited"),
    ]


def test_a_comma_before_an_inverted_cue_ends_what_the_speaker_after_it_said():
    found = statements_of(
        "Adelson has committed $5 million. Its first national television ad could start this week, said Brian "
        "Baker, a longtime political adviser to the Ricketts family."
    )
    assert [(s.speaker_name, s.cue, s.text) for s in found] == [
        ("Brian Baker", "said", "Its first national television ad could start this week")]


def test_a_quotation_reported_after_it_does_not_take_the_writers_sentence_before_it():
    # The sentencizer does not cut before an opening mark, so "addiction. “We live ...” she said" is one sentence.
    found = statements_of(
        "The paranoia remained but found other points of focus, such as the devil's hand in my brother's drug "
        "addiction. “We live in Satan's kingdom,” she said."
    )
    assert [s.text for s in found] == ["We live in Satan's kingdom"]


def test_an_opening_before_a_cue_that_reports_what_follows_it_is_not_what_was_said():
    found = statements_of(
        "Bernie Sanders offered some pointed advice to Hillary Clinton on Friday.",
        "Heading into the first debate in 10 days, Sanders told MSNBC's Morning Joe that Clinton needs to get away "
        "from all of this personality stuff.",
    )
    told = [s for s in found if s.cue == "told"]
    assert [s.text for s in told] == ["Clinton needs to get away from all of this personality stuff"]
    assert told[0].speaker_name == "Bernie Sanders"


def test_a_reported_clause_ends_where_a_participle_or_contrast_of_the_writer_begins():
    found = statements_of(
        "Video released on Monday shows that Crutcher had his hands in the air, contradicting the police's earlier "
        "claim that he had refused to keep his hands up."
    )
    assert [s.text for s in found] == ["Crutcher had his hands in the air"]


def test_a_speech_verb_and_that_after_a_determiner_phrase_report_the_rest_of_the_sentence():
    found = statements_of(
        "The IMF cut its forecast on Tuesday. Overall, the fund predicted that advanced economies will grow 1.6 "
        "percent, down 0.2 percentage points from its last estimate."
    )
    assert [(s.speaker_name, s.cue, s.text) for s in found] == [
        ("fund", "predicted", "advanced economies will grow 1.6 percent, down 0.2 percentage points from its last "
                              "estimate")]


def test_according_to_a_source_and_a_comma_reports_the_rest_of_the_sentence():
    found = statements_of(
        "According to Ham, the current administration has shuffled through military leaders because many "
        "disagreed with Obama’s policies."
    )
    assert [(s.speaker_name, s.cue, s.text) for s in found] == [
        ("Ham", "According to", "the current administration has shuffled through military leaders because many "
                                "disagreed with Obama’s policies")]


def test_a_relative_pronoun_after_an_apposition_stands_for_the_name_before_it():
    found = _statements_from_labels(
        "Obama has had a frosty relationship with Mitch McConnell, now the Senate majority leader, who in 2010 said "
        "that his top priority was to make Obama a one-term president.",
        {"who": "SOURCE", "said": "CUE", "that his top priority was to make Obama a one-term president": "CONTENT"},
    )
    assert [(s.speaker_name, s.text) for s in found] == [
        ("Mitch McConnell", "his top priority was to make Obama a one-term president")]


def test_what_was_said_ends_at_a_line_break():
    found = statements_of(
        "DuVernay said she felt the amendment was worth a film because “most people don’t know about that "
        "loophole,” she said. “We have no context for the current moment if we don’t know where we came from.”"
        "\u00a0\nAs it stands, the country's prisons hold a quarter of the world’s inmates, 40 percent of whom are "
        "black, according to the Federal Bureau of Prisons."
    )
    assert found and not any("\n" in s.text for s in found)
    assert starting_with(found, "We have no context")[0].text.endswith("where we came from.")


def _statements_from_labels(text: str, parts: dict[str, str], complete: bool = False) -> list:
    """Statements built from ``text`` labelled by hand: ``parts`` maps a run of its words to SOURCE, CUE or
    CONTENT, so a rule is tested on the labels it is written for, whatever the tagger reads; with ``complete``,
    the labels go through the completion rules first."""
    from claimledger.extract.actors import find_actors
    from claimledger.extract.completion import complete_labels
    from claimledger.extract.labels import paint
    from claimledger.extract.nlp import cheap_pass, load_nlp
    from claimledger.extract.statements import build_statements

    doc = next(cheap_pass(load_nlp(load_settings({}).model), [text]))
    labels = ["O"] * len(doc)
    for words, label in parts.items():
        start = text.index(words)
        span = doc.char_span(start, start + len(words))
        paint(labels, label, span.start, span.end)
    if complete:
        labels = complete_labels(doc, labels, [(0, len(doc))])
    return build_statements(doc, labels, [(0, len(doc))], find_actors(doc), "2016-09-28")


def test_a_cue_set_off_by_commas_inside_what_was_said_reports_both_parts():
    found = _statements_from_labels(
        "The average weekly benefit, Mr. Obama said, would be $300.",
        {"The average weekly benefit": "CONTENT", "Mr. Obama": "SOURCE", "said": "CUE", "would be $300": "CONTENT"},
    )
    assert [(s.speaker_name, s.cue, s.text) for s in found] == [
        ("Mr. Obama", "said", "The average weekly benefit"), ("Mr. Obama", "said", "would be $300")]
    # The opening left unlabelled is what was said as well.
    found = _statements_from_labels(
        "The museum, Mr. Bush said, celebrated the nation's history.",
        {"Mr. Bush": "SOURCE", "said": "CUE", "celebrated the nation's history": "CONTENT"},
    )
    assert [(s.speaker_name, s.text) for s in found] == [
        ("Bush", "The museum"), ("Bush", "celebrated the nation's history")]


def test_a_transcripts_turns_are_what_each_speaker_named_in_capitals_said():
    found = statements_of(
        "Vice presidential nominee Mike Pence spoke to Chris Wallace on Sunday.",
        "Partial transcript as follows:",
        "\"WALLACE: Will Gennifer Flowers be at the debate tomorrow night, as your running mate suggested?",
        "\"PENCE: She will not be attending the debate, but I understand why people ask. Donald Trump was mocking "
        "the Clinton campaign, you know, really mocking it.",
        "\"(CROSSTALK.)",
        "\"WALLACE: Governor, do you really see those two as equivalent?",
        "\"PENCE: Well, look, Mark Cuban has been saying some tough stuff about my running mate.",
        "\"But the truth is that Donald Trump has a unique way of communicating to the American people.",
    )
    question = starting_with(found, "Will Gennifer Flowers")
    assert len(question) == 1 and question[0].cue == ":" and question[0].kind == "direct"
    assert question[0].speaker_name.lower().endswith("wallace")
    answer = starting_with(found, "She will not be attending")
    assert len(answer) == 1 and answer[0].text.endswith("really mocking it.")  # the whole turn, not cut at ", you know"
    assert answer[0].speaker_name == "Mike Pence" and answer[0].kind == "direct"
    assert not [s for s in found if "CROSSTALK" in s.text]
    # The turn's quotation runs on into the next paragraph: the same speaker, reported by the same colon.
    turn, on = starting_with(found, "Well, look"), starting_with(found, "But the truth")
    assert len(turn) == 1 and len(on) == 1
    assert on[0].speaker_name == "Mike Pence" and on[0].cue_span == turn[0].cue_span


def test_labels_in_capitals_that_open_no_dialogue_are_the_writers():
    found = statements_of(
        "UPDATE: The website that originally listed the weapon for sale has removed the listing.",
        "EXCLUSIVE: In a memo to Congress, the Saudi government insists it is fighting terrorism.",
    )
    assert not [s for s in found if s.cue == ":"]


def test_a_closing_mark_that_opens_a_line_opens_a_quotation():
    found = statements_of(
        "“I’m so ashamed to be an American today.” ― Jacklyn Ashley\n"
        "”Fear. I am truly afraid that he will win and that this country will suffer for it.” ― Edwin Monroy"
    )
    fear = starting_with(found, "Fear. I am truly afraid")
    assert len(fear) == 1 and fear[0].kind == "direct" and fear[0].speaker_name == "Edwin Monroy"


def test_a_signature_dash_becomes_the_cue_of_a_name_already_read_as_source():
    from claimledger.extract.completion import complete_labels
    from claimledger.extract.labels import paint
    from claimledger.extract.nlp import cheap_pass, load_nlp

    text = "“If he is elected, this country has gotten the president it deserves.” ― Martha Aguilar"
    doc = next(cheap_pass(load_nlp(load_settings({}).model), [text]))
    labels = ["O"] * len(doc)
    paint(labels, "CONTENT", 0, len(doc) - 3)
    paint(labels, "SOURCE", len(doc) - 2, len(doc))
    completed = complete_labels(doc, labels, [(0, len(doc))])
    assert doc[len(doc) - 3].text == "―" and completed[len(doc) - 3] == "B-CUE"
    assert completed[len(doc) - 2 :] == ["B-SOURCE", "I-SOURCE"]


def test_a_name_read_as_content_right_before_a_cue_is_its_source():
    from claimledger.extract.completion import complete_labels
    from claimledger.extract.labels import paint
    from claimledger.extract.nlp import cheap_pass, load_nlp

    text = "NATO has not seen signs of Russian troops pulling back, Jens Stoltenberg said."
    doc = next(cheap_pass(load_nlp(load_settings({}).model), [text]))
    labels = ["O"] * len(doc)
    paint(labels, "CONTENT", 0, 1)
    paint(labels, "CUE", 1, 4)
    paint(labels, "CONTENT", 4, 10)
    completed = complete_labels(doc, labels, [(0, len(doc))])
    assert doc[0].text == "NATO" and completed[0] == "B-SOURCE"


def test_a_source_cut_in_pieces_by_the_tagger_is_one_speaker():
    found = _statements_from_labels(
        "Clinton is the only candidate with the temperament to keep America safe, retired Air Force general Lloyd "
        "Newton said.",
        {"Clinton is the only candidate with the temperament to keep America safe": "CONTENT", "retired": "SOURCE",
         "Air Force general Lloyd Newton": "SOURCE", "said": "CUE"},
        complete=True,
    )
    assert [s.speaker_name for s in found] == ["Lloyd Newton"]
    found = statements_of("Although the IMF did not single out Trump's proposals, it warned of the risks of protectionism.")
    assert "IMF" in [s.speaker_name for s in found]


def test_a_date_that_only_a_determiner_stands_before_is_part_of_the_source():
    found = _statements_from_labels(
        "A 2014 study by Loyola Law School professor Justin Levitt found 31 incidents of voter impersonation.",
        {"A 2014 study by Loyola Law School professor Justin Levitt": "SOURCE", "found": "CUE",
         "31 incidents of voter impersonation": "CONTENT"},
    )
    assert [s.speaker_name for s in found] == ["Justin Levitt"]


def test_a_source_that_runs_on_from_a_relative_pronoun_is_its_antecedent():
    found = _statements_from_labels(
        "Adam Schiff, 56, who has served on the Intelligence Committee for a decade, told reporters that the "
        "leaks were troubling.",
        {"who has served on the Intelligence Committee for": "SOURCE", "told": "CUE",
         "that the leaks were troubling": "CONTENT"},
    )
    assert [s.speaker_name for s in found] == ["Adam Schiff"]


def test_a_relative_pronoun_after_a_noun_phrase_without_a_name_stands_for_that_phrase():
    found = _statements_from_labels(
        "Trump refused to pay an architect who said he was stiffed after he designed a clubhouse.",
        {"who": "SOURCE", "said": "CUE", "he was stiffed after he designed a clubhouse": "CONTENT"},
    )
    assert [s.speaker_name for s in found] == ["architect"]


def test_a_cue_without_source_or_name_before_it_is_reported_by_the_noun_phrase_before_it():
    found = _statements_from_labels(
        "It is because the S.E.C. has been so vague about the definitions of a subsidiary that it is laughable.",
        {"has been so vague about": "CUE", "the definitions of a subsidiary": "CONTENT"},
    )
    assert [s.speaker_name for s in found] == ["S.E.C."]
    found = _statements_from_labels(
        "On Monday night, the senator leaned in heavy and often, painting Trump as a caricature.",
        {"painting": "CUE", "Trump as a caricature": "CONTENT"},
    )
    assert [s.speaker_name for s in found] == [None]  # a comma before the cue: no subject there to take


def test_a_paragraph_introduced_by_a_cue_and_colon_is_what_was_said_whole():
    found = statements_of(
        "Conservative talk radio host Rush Limbaugh criticized the request on his show. Limbaugh added:",
        "And from a supposed front-runner, Hillary Clinton, this reeks of some of the greatest fear that I have "
        "ever seen. She can't beat this guy without stacking the deck?",
    )
    block = starting_with(found, "And from a supposed front-runner")
    assert len(block) == 1 and block[0].text.endswith("stacking the deck?")
    assert block[0].speaker_name == "Rush Limbaugh" and block[0].cue.startswith("added")


def test_a_quotation_a_subject_reports_is_not_the_last_speakers():
    found = _statements_from_labels(
        "Authorities said a curfew would continue through the weekend. Protesters marching through the streets "
        "chanted \"What curfew?\" and kept going until nearly 2 a.m.",
        {"Authorities": "SOURCE", "said": "CUE", "a curfew would continue through the weekend": "CONTENT",
         "\"What curfew?": "CONTENT"},
        complete=True,
    )
    chant = [s for s in found if s.text == "What curfew?"]
    assert len(chant) == 1 and chant[0].cue == "chanted" and chant[0].speaker_name == "Protesters"


def test_a_name_after_an_inverted_cue_is_its_source_and_the_content_runs_to_the_comma():
    found = _statements_from_labels(
        "Trump would expand the standard deduction, but for some, the losses would outstrip the gains, said "
        "Batchelder.",
        {"Trump would expand the standard deduction, but for some, the losses would": "CONTENT", "said": "CUE",
         "Batchelder": "CONTENT"},
        complete=True,
    )
    assert [(s.speaker_name, s.text) for s in found] == [
        ("Batchelder", "Trump would expand the standard deduction, but for some, the losses would outstrip the gains")]


def test_examples_that_including_lists_after_a_comma_are_still_what_was_said():
    found = _statements_from_labels(
        "Obama said race still determines too much in America, including how people are treated in schools.",
        {"Obama": "SOURCE", "said": "CUE",
         "race still determines too much in America, including how people are treated in schools": "CONTENT"},
    )
    assert [s.text for s in found] == ["race still determines too much in America, including how people are treated in schools"]


def test_the_rest_of_a_sentence_after_a_parenthetical_cue_is_what_was_said():
    found = _statements_from_labels(
        "Lenox was a juggernaut, Mr. Clarke said, until it went bankrupt in 1999.",
        {"Lenox was a juggernaut": "CONTENT", "Mr. Clarke": "SOURCE", "said": "CUE"},
        complete=True,
    )
    assert [s.text for s in found] == ["Lenox was a juggernaut", "until it went bankrupt in 1999"]
    assert {s.cue_span for s in found} == {found[0].cue_span}


def test_a_quotation_after_a_reported_one_in_its_paragraph_shares_its_cue():
    found = _statements_from_labels(
        "\"My name may not be on the ballot, but our progress is on the ballot,\" Mr. Obama said on Saturday "
        "night at the Congressional Black Caucus Foundation gala dinner in Washington. \"Tolerance is on the "
        "ballot. Democracy is on the ballot.\"",
        {"\"My name may not be on the ballot, but our progress is on the ballot,\"": "CONTENT", "Mr. Obama": "SOURCE",
         "said": "CUE", "\"Tolerance is on the ballot. Democracy is on the ballot.\"": "CONTENT"},
    )
    first = starting_with(found, "My name may not be on the ballot")
    second = starting_with(found, "Tolerance is on the ballot")
    assert len(first) == 1 and len(second) == 1
    assert second[0].speaker_name == first[0].speaker_name and second[0].cue_span == first[0].cue_span


def test_a_name_after_an_inverted_cue_and_before_a_date_is_the_speaker():
    found = statements_of("The economy is strong and the labor market is healthy, said Janet Yellen on Monday.")
    assert [(s.speaker_name, s.text) for s in found] == [
        ("Janet Yellen", "The economy is strong and the labor market is healthy")]


def test_a_name_after_an_inverted_cue_is_the_source_when_what_was_said_is_labelled_already():
    found = _statements_from_labels(
        "The economy is strong and the labor market is healthy, said Janet Yellen on Monday.",
        {"The economy is strong and the labor market is healthy": "CONTENT", "said": "CUE"},
        complete=True,
    )
    assert [(s.speaker_name, s.text) for s in found] == [
        ("Janet Yellen", "The economy is strong and the labor market is healthy")]
