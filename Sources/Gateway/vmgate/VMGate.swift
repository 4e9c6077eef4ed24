@main
struct VMGate {
    static func main() {}
}
