"""Calls every Bookshop operation with zeep, a SOAP client that knows the
service from its WSDL alone, and prints what came back as one JSON object.

    /usr/bin/python3 zeep-interop.py <wsdl-url> <api-key> <isbn> <isbn>

Faults are reported as {"fault": faultcode, "code": BookshopFault code}.
"""

import json
import sys

import zeep
from zeep.helpers import serialize_object
from zeep.wsse.username import UsernameToken

NS = "{urn:bookshop:v1}"


def plain(value):
    return json.loads(json.dumps(serialize_object(value, dict), default=str))


def fault_of(call):
    try:
        call()
    except zeep.exceptions.Fault as fault:
        detail = fault.detail.find(f"{NS}BookshopFault") if fault.detail is not None else None
        return {
            "fault": fault.code,
            "code": detail.findtext(f"{NS}code") if detail is not None else None,
            "paths": [p.text for p in detail.iter(f"{NS}path")] if detail is not None else [],
            "shortages": len(detail.findall(f"{NS}shortage")) if detail is not None else 0,
        }
    return {"fault": None}


def main():
    wsdl, key, isbn, other_isbn = sys.argv[1:5]
    writer = zeep.Client(wsdl, wsse=UsernameToken("zeep", key))
    reader = zeep.Client(wsdl)
    w, r = writer.service, reader.service
    report = {}

    author = w.CreateAuthor(name="Zeep Author", bio="Wrote from Python")
    report["CreateAuthor"] = plain(author)
    report["GetAuthor"] = plain(r.GetAuthor(id=author.id))
    report["ListAuthors"] = plain(r.ListAuthors(limit=100))

    book = w.CreateBook(title="Interop", authorId=author.id, isbn=isbn, priceCents=1250, stock=3)
    report["CreateBook"] = plain(book)
    report["GetBook"] = plain(r.GetBook(id=book.id))
    report["ListBooks"] = plain(r.ListBooks(authorId=author.id, q="inter"))
    report["UpdateBook"] = plain(w.UpdateBook(id=book.id, title="Interop, revised", expectedVersion=1))
    report["AdjustStock"] = plain(w.AdjustStock(id=book.id, delta=2))

    order = w.PlaceOrder(line=[{"bookId": book.id, "quantity": 2}])
    report["PlaceOrder"] = plain(order)
    report["GetOrder"] = plain(r.GetOrder(id=order.id))
    report["CancelOrder"] = plain(w.CancelOrder(id=order.id))

    # The WSDL declares tns:IdempotencyKey as a header of every write: zeep sends it as one.
    keyed = [
        plain(w.AdjustStock(id=book.id, delta=1, _soapheaders={"IdempotencyKey": "zeep-adjust-1"}))
        for _ in range(2)
    ]
    report["IdempotentAdjustStock"] = keyed
    report["StockAfterRepeat"] = r.GetBook(id=book.id).stock

    spare = w.CreateBook(title="Spare", authorId=author.id, isbn=other_isbn, priceCents=1)
    report["DeleteBook"] = plain(w.DeleteBook(id=spare.id))

    report["faults"] = {
        "NOT_FOUND": fault_of(lambda: r.GetBook(id="no-such-book")),
        "UNAUTHENTICATED": fault_of(lambda: r.CreateAuthor(name="Nobody")),
        "VALIDATION_FAILED": fault_of(
            lambda: w.PlaceOrder(line=[{"bookId": book.id, "quantity": 0}])
        ),
        "CONFLICT": fault_of(lambda: w.UpdateBook(id=book.id, title="Stale", expectedVersion=1)),
        "OUT_OF_STOCK": fault_of(lambda: w.PlaceOrder(line=[{"bookId": book.id, "quantity": 99}])),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
