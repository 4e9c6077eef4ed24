import DialectKit
import Foundation
import GatewayCore
import Hummingbird
import Spec

extension IMDialect {
    func addPropertyRoutes(to routes: RouteCollection<GatewayContext>) {
        routes.get("/infrastructures/:id/:property") { request, context in
            let infrastructure = try await owned(try context.parameters.require("id"), by: try caller(request))
            let property = try context.parameters.require("property")
            switch property {
            case "contmsg":
                var message = infrastructure.contmsg
                let headerOnly = try IMWire.flag(
                    request.uri.queryParameters["headeronly"], default: false, name: "headeronly")
                if !headerOnly {
                    for vm in infrastructure.vms { message += "VM \(vm.id):\n\(vm.contmsg)" }
                }
                return try IMWire.respond(request, .text(message), field: property)
            case "radl":
                return try IMWire.respond(request, .text(infrastructure.document.text), field: property)
            case "state", "outputs":
                let accept = IMWire.mediaTypes(request.headers[.accept])
                guard
                    accept.isEmpty
                        || accept.contains(where: { ["application/json", "*/*", "application/*"].contains($0) })
                else {
                    throw IMFailure(415, "Unsupported Accept Media Types: \(accept.joined(separator: ","))")
                }
                if property == "outputs" {
                    throw IMFailure(403, "'outputs' infrastructure property is not valid in this infrastructure")
                }
                return try IMWire.respond(
                    request, .json(try await stateObject(infrastructure)), defaultType: "application/json",
                    field: property)
            default:
                throw IMFailure(404, "Incorrect infrastructure property: \(property)")
            }
        }
    }
}
