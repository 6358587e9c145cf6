"""Validates every signature of a PDF with pyHanko, offline, against one trust root, and prints
one JSON object: {"revisions": n, "dss": bool, "signatures": [...]}. The tests' independent check
of certforge's PAdES signatures (test/helpers/pdf-signatures.ts runs it).

usage: validate_pdf_signatures.py FILE.pdf ROOT.pem

For each signature: intact (the digest of the signed bytes matches), valid (the signature over
it verifies), trusted (the chain reaches ROOT), coverage (ENTIRE_FILE, or ENTIRE_REVISION when
revisions follow), modification_level of what follows (NONE, LTA_UPDATES, ...), the signature
time-stamp's own validation, the CMS attributes, and the PAdES baseline level. pyHanko has no
call that names the level, so it is derived here from what pyHanko validated:
  B-B   /ETSI.CAdES.detached, signing-certificate-v2 signed, no signingTime, intact+valid+trusted;
  B-T   and a signature time-stamp that is intact, valid and trusted;
  B-LT  and a /DSS in a later revision, with which the signer's and the TSA's chains validate with
        revocation checking required and nothing fetched (hard-fail, DSS data only).
Without a DSS, revocation is not checked (soft-fail): the test root's services may be down.
"""
import asyncio
import json
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko_certvalidator import ValidationContext


def attribute_types(signer_info, key):
    return sorted(a["type"].native for a in signer_info[key]) if signer_info[key].native else []


async def main(path, root_path):
    root = load_cert_from_pemder(root_path)
    with open(path, "rb") as f:
        reader = PdfFileReader(f, strict=True)
        total = reader.xrefs.total_revisions
        dss_revisions = [i for i in range(total) if "/DSS" in reader.get_historical_root(i)]
        try:
            dss = DocumentSecurityStore.read_dss(reader)
        except NoDSSFoundError:
            dss = None
        out = []
        for sig in reader.embedded_signatures:
            info = sig.signer_info
            tokens = list(extract_tst_data_iter(info, signed=False))
            tst_time = tokens[0]["encap_content_info"]["content"].parsed["gen_time"].native if tokens else None
            options = dict(
                trust_roots=[root],
                allow_fetching=False,
                revocation_mode="hard-fail" if dss else "soft-fail",
            )
            if tst_time:
                options["moment"] = tst_time
            if dss:
                # OCSP answers fetched after the time-stamp still prove the state at its time.
                options["retroactive_revinfo"] = True
            context = (lambda: dss.as_validation_context(options)) if dss else (lambda: ValidationContext(**options))
            status = await async_validate_pdf_signature(
                sig, signer_validation_context=context(), ts_validation_context=context()
            )
            stamp = status.timestamp_validity
            signed = attribute_types(info, "signed_attrs")
            unsigned = attribute_types(info, "unsigned_attrs")
            subfilter = str(sig.sig_object["/SubFilter"])
            baseline = (
                subfilter == "/ETSI.CAdES.detached"
                and "signing_certificate_v2" in signed
                and "signing_time" not in signed
                and status.bottom_line
            )
            has_t = stamp is not None and stamp.intact and stamp.valid and stamp.trusted
            has_lt = has_t and any(r > sig.signed_revision for r in dss_revisions) and status.trusted and dss is not None
            level = ("B-LT" if has_lt else "B-T" if has_t else "B-B") if baseline else None
            out.append(
                {
                    "field": sig.field_name,
                    "subfilter": subfilter,
                    "signedRevision": sig.signed_revision + 1,
                    "intact": status.intact,
                    "valid": status.valid,
                    "trusted": status.trusted,
                    "bottomLine": status.bottom_line,
                    "coverage": status.coverage.name,
                    "modificationLevel": status.modification_level.name if status.modification_level else None,
                    "docmdpOk": status.docmdp_ok,
                    "signer": status.signing_cert.subject.human_friendly,
                    "signingTime": str(sig.sig_object.get("/M")),
                    "timestamp": None
                    if stamp is None
                    else {
                        "time": stamp.timestamp.isoformat(),
                        "intact": stamp.intact,
                        "valid": stamp.valid,
                        "trusted": stamp.trusted,
                    },
                    "signedAttributes": signed,
                    "unsignedAttributes": unsigned,
                    "level": level,
                }
            )
    print(json.dumps({"revisions": total, "dss": dss is not None, "signatures": out}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
