fn main() {
    std::process::exit(openfolio::cli::main());
}
