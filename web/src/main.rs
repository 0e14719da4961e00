//! Entry point of the playground page: mounts [`netpol_web::App`] into `<body>`.

fn main() {
    console_error_panic_hook::set_once();
    netpol_web::mount();
}
