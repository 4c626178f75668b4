"""The Label Studio labelling interface, generated from the taxonomy (never edited by hand).

One single choice for the category and one for the police-response flag, each option carrying the label
guide's definition as its hint; an "unsure / needs senior review" choice; a free-text rationale. The names of
the controls are part of the contract with ``rcrp label pull``.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from rcrp.models.taxonomy import Taxonomy

__all__ = ["labelling_config", "CATEGORY", "FLAG", "REVIEW", "RATIONALE", "TEXT", "UNSURE", "FLAG_YES", "FLAG_NO"]

TEXT = "text"
CATEGORY = "category"
FLAG = "police_response"
REVIEW = "review"
RATIONALE = "rationale"
UNSURE = "Unsure / needs senior review"
FLAG_YES = "yes"
FLAG_NO = "no"


def labelling_config(taxonomy: Taxonomy) -> str:
    """Label Studio's XML ``label_config`` for ``taxonomy``: the redacted narrative, the category, the flag,
    the senior-review option and the rationale."""
    flag = taxonomy.threshold_flag
    choices = "\n".join(
        f"    <Choice value={quoteattr(c.name)} hint={quoteattr(c.description)}/>" for c in taxonomy.categories)
    return f"""<View>
  <Header value="Redacted call narrative (advisory review; the model's suggestion is pre-filled)"/>
  <Text name="{TEXT}" value="${TEXT}"/>
  <Header value="RCRP category"/>
  <Choices name="{CATEGORY}" toName="{TEXT}" choice="single" showInline="false" required="true">
{choices}
  </Choices>
  <Header value={quoteattr(f"Police response required ({flag.name})")}/>
  <Choices name="{FLAG}" toName="{TEXT}" choice="single" showInline="true" required="true">
    <Choice value="{FLAG_YES}" hint={quoteattr(flag.description)}/>
    <Choice value="{FLAG_NO}" hint="The responsible partner leads: no crime to investigate and no real and immediate risk to life or of serious harm."/>
  </Choices>
  <Choices name="{REVIEW}" toName="{TEXT}" choice="single">
    <Choice value={quoteattr(UNSURE)} hint="Use when the narrative does not settle it: a senior reviewer decides."/>
  </Choices>
  <Header value="Rationale (no names or contact details)"/>
  <TextArea name="{RATIONALE}" toName="{TEXT}" rows="3" maxSubmissions="1"/>
</View>
"""
