"""Understanding measured on real patients' words (`make eval`).

The question sets in `evaluation/` are questions that patients and carers wrote in
public, each with the topics and content items a clinician would accept. This
package reads them (`dataset`), sends each through a running assistant's REST
webhook in a fresh conversation (`runner`), scores the replies (`metrics`) and
writes text and HTML reports (`report`); `sscbot eval` ties them together.
"""
