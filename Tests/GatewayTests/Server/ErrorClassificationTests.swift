import DialectKit
import HTTPTypes
import Hummingbird
import PropertyBased
import Spec
import Testing

@Suite("Error classification: every thrown error gets an honest status")
struct ErrorClassificationTests {
    /// Some error vmgate does not know, with a description that must stay in the log.
    struct Unknown: Error, CustomStringConvertible {
        var description: String
    }

    static let text = Gen.latin1.string(of: 1...40)
    static let kinds = Gen<SpecError.Kind>.case

    @Test("any unknown error is a 500 with the generic message; its description only in the cause")
    func unknownErrors() async {
        await propertyCheck(input: Self.text) { description in
            let (status, error) = SpecError.classify(Unknown(description: "secret:" + description))
            #expect(status == .internalServerError)
            #expect(error.kind == .internal)
            #expect(error.message == SpecError.internalMessage)
            #expect(error.cause?.contains("secret:" + description) == true)
        }
    }

    @Test("a SpecError keeps its kind, message and cause, and its kind decides the status")
    func specErrors() async {
        await propertyCheck(input: Self.kinds, Self.text, Self.text.optional) { kind, message, cause in
            let (status, error) = SpecError.classify(SpecError(kind, message, cause: cause))
            #expect(error == SpecError(kind, message, cause: cause))
            #expect(status == kind.httpStatus)
            #expect((400..<500).contains(status.code) == [.notFound, .conflict, .invalid, .forbidden].contains(kind))
        }
    }

    @Test("an HTTP error keeps its status; a 5xx body never becomes the message")
    func httpErrors() async {
        await propertyCheck(input: Gen.int(in: 400...599), Self.text) { code, body in
            let (status, error) = SpecError.classify(HTTPError(HTTPResponse.Status(code: code), message: body))
            #expect(status.code == code)
            #expect(error.kind == SpecError.Kind(httpStatus: status))
            if code >= 500, code != 501 {
                #expect(!error.message.contains(body) || status.reasonPhrase.contains(body))
                #expect(error.kind == (code == 500 ? .internal : .unavailable))
            } else {
                #expect(error.message == body)
            }
        }
    }

    @Test("a cancelled operation is unavailable, not a fault")
    func cancellation() {
        #expect(SpecError.wrap(CancellationError()).kind == .unavailable)
        #expect(SpecError.classify(CancellationError()).status == .serviceUnavailable)
    }
}
