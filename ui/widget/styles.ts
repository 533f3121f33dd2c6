// The widget's look, inside its shadow root. `.root` resets everything the host page
// could pass down by inheritance (fonts, colours, line height…); host selectors never
// reach inside the shadow tree.
export const CSS = `
.root{all:initial;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;--p:#c0392b;--a:#f39c12}
:where(.root *){box-sizing:border-box;font:inherit;color:inherit;letter-spacing:normal;text-transform:none}
.bubble{position:fixed;bottom:20px;right:20px;width:60px;height:60px;border-radius:50%;border:0;background:var(--p);color:#fff;cursor:pointer;box-shadow:0 4px 14px #0004;display:flex;align-items:center;justify-content:center;z-index:2147483646;padding:0}
.left .bubble{right:auto;left:20px}
.bubble svg{width:28px;height:28px;fill:#fff}
button:focus-visible,input:focus-visible,select:focus-visible,a:focus-visible{outline:3px solid var(--a);outline-offset:2px}
.panel{position:fixed;bottom:92px;right:20px;width:380px;max-width:calc(100vw - 40px);height:600px;max-height:calc(100vh - 112px);background:#fff;border-radius:14px;box-shadow:0 10px 40px #0005;display:flex;flex-direction:column;overflow:hidden;z-index:2147483647}
.left .panel{right:auto;left:20px}
.panel[hidden]{display:none}
.page .panel{inset:0;width:auto;height:auto;max-width:none;max-height:none;border-radius:0;box-shadow:none}
header{display:flex;align-items:center;gap:8px;padding:10px 12px;background:var(--p);color:#fff}
header img{width:32px;height:32px;border-radius:6px;object-fit:cover;background:#fff}
h2{margin:0;flex:1;font-size:17px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
h3{margin:12px 0 6px;font-size:15px;font-weight:600}
header button{background:#fff2;border:0;color:#fff;border-radius:6px;padding:6px 8px;cursor:pointer}
nav{display:flex;border-bottom:1px solid #ddd}
nav button{flex:1;background:none;border:0;border-bottom:3px solid transparent;padding:10px 4px;cursor:pointer}
nav button[aria-selected=true]{border-bottom-color:var(--p);font-weight:600}
.body{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}
.log{display:flex;flex-direction:column;gap:6px;flex:1}
.msg{max-width:85%;padding:8px 10px;border-radius:12px;background:#f0f0f2;white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.msg.staff{background:#fff;border:2px solid var(--p)}
.me{align-self:flex-end;background:var(--p);color:#fff}
.draft{border:1px solid #ddd;border-radius:10px;padding:8px 10px;margin:0;list-style:none}
.row{display:flex;flex-direction:row;gap:6px;align-items:center}
.row>input,.row>select{flex:1}
input,select{font-size:16px;padding:8px;border:1px solid #bbb;border-radius:8px;background:#fff;min-width:0;width:100%}
label{display:flex;flex-direction:column;gap:4px;font-size:14px}
.btn{background:var(--p);color:#fff;border:0;border-radius:8px;padding:10px 14px;cursor:pointer;font-weight:600}
.btn[disabled]{opacity:.5;cursor:default}
.ghost{background:none;color:var(--p);border:1px solid var(--p)}
.link{background:none;border:0;color:#555;text-decoration:underline;font-size:13px;cursor:pointer;align-self:center;padding:4px}
[hidden]{display:none!important}
.item,.line{display:flex;justify-content:space-between;align-items:center;gap:8px;padding:8px 0;border-bottom:1px solid #eee}
[data-item]{display:block}
.line{padding:0;border:0}
.ph{width:64px;height:64px;border-radius:8px;object-fit:cover;flex:none;background:#eee}
.grow{flex:1;min-width:0}
.chips{display:flex;flex-wrap:wrap;gap:4px;margin-top:4px}
.chip{font-size:12px;border-radius:10px;padding:1px 8px;background:#e8f5e9;color:#1b5e20}
.choose{margin-top:8px;padding:8px;border:1px solid #ddd;border-radius:10px;gap:8px}
fieldset{border:0;padding:0;margin:0;display:flex;flex-direction:column;gap:4px}
legend{font-weight:600;padding:0;margin-bottom:4px}
legend small{font-weight:400;color:#555}
.opt{flex-direction:row;align-items:center;gap:8px;font-size:15px}
.opt input{width:auto;min-width:20px;height:20px}
.consent{font-size:13px;align-items:flex-start;color:#333}
.cartbar{position:sticky;bottom:-12px;margin:auto -12px -12px;padding:10px 12px;background:#fff;border-top:1px solid #ddd;box-shadow:0 -4px 12px #0001;display:flex;justify-content:space-between;align-items:center;gap:8px;font-weight:600}
.num{font-size:22px;font-weight:700;margin:0}
.info{font-size:14px;border:1px solid #ddd;border-radius:10px;padding:6px 10px}
.info p{margin:2px 0}
.info a{color:var(--p);font-weight:600}
.item p{margin:2px 0 0;font-size:13px;color:#555}
.out{opacity:.6}
.tag{font-size:12px;background:#eee;border-radius:6px;padding:2px 6px}
.slots{display:flex;flex-wrap:wrap;gap:6px}
.note{font-size:14px;color:#555;margin:0}
.err{color:#b00020;margin:0}
.stage{font-size:18px;font-weight:600;margin:0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
form{display:flex;flex-direction:column;gap:10px}
@media (max-width:480px){.panel{inset:0;width:auto;height:auto;max-width:none;max-height:none;border-radius:0}}
@media (prefers-reduced-motion:no-preference){.panel{transition:opacity .15s}.pulse{animation:p .6s}@keyframes p{50%{background:#fff3cd}}}
`;
