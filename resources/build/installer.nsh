; Cairn's additions to electron-builder's NSIS installer (electron-builder.yml: nsis.include).
; A cairn-provisioning.json beside the installer is copied into the install folder, where Cairn looks
; for it on its first start (README, "Provisioning laptops"), so a silent install from a folder that
; holds both files provisions the laptop: Cairn-Setup-<version>.exe /S /allusers
!macro customInstall
  IfFileExists "$EXEDIR\cairn-provisioning.json" 0 cairnNoProvisioningFile
    CopyFiles /SILENT "$EXEDIR\cairn-provisioning.json" "$INSTDIR"
  cairnNoProvisioningFile:
!macroend
