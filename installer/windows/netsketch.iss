; Inno Setup 6 script for NetSketch Studio (Windows, per-user, no administrator rights).
;
; Build the folder first (on Windows, in a venv with `pip install .[build]`):
;     pyinstaller --noconfirm --distpath dist --workpath build installer\netsketch.spec
; then compile this script (the version comes from studio\__init__.py unless given):
;     iscc /DMyAppVersion=0.1.0 installer\windows\netsketch.iss
; The installer lands in dist\installer\NetSketchStudio-<version>-setup.exe.

#define MyAppName "NetSketch Studio"
#ifndef MyAppVersion
  #define MyAppVersion "0.1.0"
#endif
#define MyAppPublisher "NetSketch Studio"
#define MyAppExeName "netsketch-studio.exe"
#define MyCliExeName "studio.exe"
#define MyLessonExt ".nslesson"
#define MyLessonProgId "NetSketchStudio.Lesson"
#ifndef DistDir
  #define DistDir "..\..\dist\netsketch-studio"
#endif

[Setup]
; A fixed AppId keeps upgrades and the uninstaller entry together; never change it.
AppId={{6C1E9F5A-3B7D-4E2A-9C41-8F2D5B7A1E63}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppVerName={#MyAppName} {#MyAppVersion}
AppPublisher={#MyAppPublisher}
; Per-user install: no UAC prompt, into %LOCALAPPDATA%\Programs\NetSketch Studio
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#MyAppName}
DefaultGroupName={#MyAppName}
DisableProgramGroupPage=yes
ChangesAssociations=yes
UninstallDisplayIcon={app}\{#MyAppExeName}
UninstallDisplayName={#MyAppName}
SetupIconFile=..\..\resources\icons\netsketch.ico
OutputDir={#DistDir}\..\installer
OutputBaseFilename=NetSketchStudio-{#MyAppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Signing (see installer/README.md): define a sign tool named "signtool" in the IDE or with
;   iscc "/Ssigntool=signtool.exe sign /fd sha256 /tr http://timestamp.example /td sha256 $f"
; and uncomment:
; SignTool=signtool

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "korean"; MessagesFile: "compiler:Languages\Korean.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "associate"; Description: "Open {#MyLessonExt} lesson files with {#MyAppName}"; GroupDescription: "File associations:"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"
Name: "{group}\{cm:UninstallProgram,{#MyAppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; Tasks: desktopicon

[Registry]
; Per-user association (HKCU\Software\Classes through HKA when not elevated).
Root: HKA; Subkey: "Software\Classes\{#MyLessonExt}"; ValueType: string; ValueName: ""; ValueData: "{#MyLessonProgId}"; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#MyLessonExt}\OpenWithProgids"; ValueType: string; ValueName: "{#MyLessonProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#MyLessonProgId}"; ValueType: string; ValueName: ""; ValueData: "NetSketch Studio lesson"; Flags: uninsdeletekey; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#MyLessonProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#MyAppExeName},0"; Tasks: associate
Root: HKA; Subkey: "Software\Classes\{#MyLessonProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#MyAppExeName}"" ""%1"""; Tasks: associate
Root: HKA; Subkey: "Software\Classes\Applications\{#MyAppExeName}\SupportedTypes"; ValueType: string; ValueName: "{#MyLessonExt}"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#MyAppExeName}"; Description: "{cm:LaunchProgram,{#MyAppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; The app's own folder only; the user's projects, settings and logs in
; %LOCALAPPDATA%\NetSketch Studio are kept.
Type: filesandordirs; Name: "{app}"
